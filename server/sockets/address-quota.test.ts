import { describe, expect, it } from 'vitest';
import { AddressQuota } from './address-quota.ts';

describe('sockets per address', () => {
  it('refuses past the limit, per address, and a place given back twice counts once', () => {
    const quota = new AddressQuota(2);
    const first = quota.take('a')!;
    quota.take('a');
    expect(quota.take('a')).toBeUndefined();
    expect(quota.take('b')).toBeDefined();
    first();
    first();
    expect(quota.held('a')).toBe(1);
    expect(quota.take('a')).toBeDefined();
    expect(quota.take('a')).toBeUndefined();
  });
});
