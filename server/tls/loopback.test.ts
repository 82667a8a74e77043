import { describe, expect, it } from 'vitest';
import { isLoopback } from './loopback.ts';

describe('who counts as the box itself', () => {
  it.each(['127.0.0.1', '127.5.6.7', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:127.1.2.3'])('%s does', (address) => {
    expect(isLoopback(address)).toBe(true);
  });

  it.each(['10.200.7.2', '192.168.1.20', '::ffff:192.168.1.20', 'fe80::1', '::', '0.0.0.0', '128.0.0.1', '', undefined])('%s does not', (address) => {
    expect(isLoopback(address)).toBe(false);
  });
});
