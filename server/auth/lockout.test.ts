import { describe, expect, it } from 'vitest';
import { Lockout } from './lockout.ts';

const policy = { freeFailures: 3, firstLockMs: 60_000, maxLockMs: 240_000, memoryMs: 600_000 };

describe('sign-in lockout', () => {
  it('allows a few wrong tries, then locks for a minute', () => {
    const lockout = new Lockout(policy);
    for (let i = 0; i < 2; i++) lockout.fail('p', 1_000);
    expect(lockout.lockedUntil('p', 1_000)).toBeUndefined();
    lockout.fail('p', 1_000);
    expect(lockout.lockedUntil('p', 1_000)).toBe(61_000);
    expect(lockout.lockedUntil('p', 61_000)).toBeUndefined();
  });

  it('doubles the lock with each further failure, up to the maximum', () => {
    const lockout = new Lockout(policy);
    for (let i = 0; i < 3; i++) lockout.fail('p', 0);
    lockout.fail('p', 61_000);
    expect(lockout.lockedUntil('p', 61_000)).toBe(61_000 + 120_000);
    lockout.fail('p', 200_000);
    lockout.fail('p', 200_000);
    expect(lockout.lockedUntil('p', 200_000)).toBe(200_000 + 240_000);
  });

  it('a success clears the count; old failures are forgotten', () => {
    const lockout = new Lockout(policy);
    lockout.fail('p', 0);
    lockout.fail('p', 0);
    lockout.succeed('p');
    lockout.fail('p', 0);
    expect(lockout.lockedUntil('p', 0)).toBeUndefined();
    lockout.fail('q', 0);
    lockout.fail('q', 0);
    lockout.fail('q', 700_000); // the first two are past memory
    expect(lockout.lockedUntil('q', 700_000)).toBeUndefined();
  });

  it('keys are independent: a person\'s lock does not lock another', () => {
    const lockout = new Lockout(policy);
    for (let i = 0; i < 3; i++) lockout.fail('person:a', 0);
    expect(lockout.lockedUntil('person:b', 0)).toBeUndefined();
  });
});
