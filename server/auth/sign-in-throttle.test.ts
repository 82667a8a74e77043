import { describe, expect, it } from 'vitest';
import { defaultSignInThrottle, SignInThrottle } from './sign-in-throttle.ts';

const MINUTE = 60_000;
const tablet = { personId: 'ana', address: '10.0.0.5' };
const guesser = { personId: 'ana', address: '10.0.0.66' };

describe('sign-in throttle', () => {
  it('locks a person at the guesser\'s address after five wrong tries, not at their own tablet', () => {
    const throttle = new SignInThrottle();
    throttle.succeed(tablet, 0);
    for (let i = 0; i < 4; i++) throttle.fail(guesser, 0);
    expect(throttle.lockedUntil(guesser, 0)).toBeUndefined();
    throttle.fail(guesser, 0);
    expect(throttle.lockedUntil(guesser, 0)).toBe(MINUTE);
    expect(throttle.lockedUntil(tablet, 0)).toBeUndefined();
  });

  it('guessing spread over many addresses locks the person there, gently, while their own tablet stays open', () => {
    const throttle = new SignInThrottle();
    throttle.succeed(tablet, 0);
    for (let host = 0; host < 10; host++) throttle.fail({ personId: 'ana', address: `10.0.1.${host}` }, 0);
    expect(throttle.lockedUntil({ personId: 'ana', address: '10.0.1.200' }, 0)).toBe(MINUTE);
    expect(throttle.lockedUntil(tablet, 0)).toBeUndefined();
  });

  it('one address spraying the staff list is locked whoever it names', () => {
    const throttle = new SignInThrottle();
    for (let person = 0; person < 20; person++) throttle.fail({ personId: `p${person}`, address: '10.0.0.66' }, 0);
    expect(throttle.lockedUntil({ personId: 'someone-else', address: '10.0.0.66' }, 0)).toBe(MINUTE);
    expect(throttle.lockedUntil({ personId: 'someone-else', address: '10.0.0.67' }, 0)).toBeUndefined();
  });

  it('failures are forgotten after a quiet period', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < 4; i++) throttle.fail(guesser, 0);
    throttle.fail(guesser, 16 * MINUTE);
    expect(throttle.lockedUntil(guesser, 16 * MINUTE)).toBeUndefined();
  });

  it('an address stops being the person\'s own after the known-address period', () => {
    const throttle = new SignInThrottle();
    throttle.succeed(tablet, 0);
    const later = defaultSignInThrottle.knownAddressMs + 1;
    for (let host = 0; host < 10; host++) throttle.fail({ personId: 'ana', address: `10.0.1.${host}` }, later);
    expect(throttle.lockedUntil(tablet, later)).toBe(later + MINUTE);
  });

  it('the admin token is throttled by address only', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < 19; i++) throttle.fail({ personId: null, address: '10.0.0.66' }, 0);
    expect(throttle.lockedUntil({ personId: null, address: '10.0.0.66' }, 0)).toBeUndefined();
    throttle.fail({ personId: null, address: '10.0.0.66' }, 0);
    expect(throttle.lockedUntil({ personId: null, address: '10.0.0.66' }, 0)).toBe(MINUTE);
  });
});
