import { describe, expect, it } from 'vitest';
import { hashSecret, verifySecret } from './secrets.ts';

describe('stored secrets', () => {
  it('a PIN is stored salted and hashed, and only the right PIN verifies', async () => {
    const stored = await hashSecret('4821');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored).not.toContain('4821');
    expect(await verifySecret('4821', stored)).toBe(true);
    expect(await verifySecret('4822', stored)).toBe(false);
    expect(await hashSecret('4821')).not.toBe(stored); // a fresh salt each time
  });

  it('a malformed stored value never verifies', async () => {
    expect(await verifySecret('x', 'plain-text')).toBe(false);
  });
});
