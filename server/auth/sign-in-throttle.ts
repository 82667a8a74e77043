import { Lockout, type LockoutPolicy } from './lockout.ts';

/**
 * How hard wrong sign-in tries are throttled, per scope (docs/security.md gives the arithmetic).
 * The Nth failure of `freeFailures` locks; each further one doubles the lock up to `maxLockMs`.
 */
export interface SignInThrottlePolicy {
  /** One person tried from one address: strong, since that is where a guesser stands. */
  personAtAddress: LockoutPolicy;
  /** One address, whoever it names: one host cannot spray the whole staff list. */
  address: LockoutPolicy;
  /**
   * One person, from addresses they have not signed in from: bounds guessing spread over many
   * hosts, while the tablets they use stay open to them — a guesser cannot lock them out there.
   */
  person: LockoutPolicy;
  /** How long an address where a person signed in counts as theirs. */
  knownAddressMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const defaultSignInThrottle: SignInThrottlePolicy = {
  personAtAddress: { freeFailures: 5, firstLockMs: MINUTE, maxLockMs: 15 * MINUTE, memoryMs: 15 * MINUTE },
  address: { freeFailures: 20, firstLockMs: MINUTE, maxLockMs: 15 * MINUTE, memoryMs: HOUR },
  person: { freeFailures: 10, firstLockMs: MINUTE, maxLockMs: 15 * MINUTE, memoryMs: 24 * HOUR },
  knownAddressMs: 30 * 24 * HOUR,
};

/** Who is trying to sign in, and from where; a null person is the admin token. */
export interface SignInAttempt {
  personId: string | null;
  address: string;
}

/**
 * Sign-in throttling by (person, address), by address and, gently, by person across addresses.
 * Pure: the caller passes `now`.
 */
export class SignInThrottle {
  readonly #personAtAddress: Lockout;
  readonly #address: Lockout;
  readonly #person: Lockout;
  /** `person@address` → when the person last signed in there. */
  readonly #known = new Map<string, number>();

  constructor(private readonly policy: SignInThrottlePolicy = defaultSignInThrottle) {
    this.#personAtAddress = new Lockout(policy.personAtAddress);
    this.#address = new Lockout(policy.address);
    this.#person = new Lockout(policy.person);
  }

  /** When this attempt may be made, or undefined when it may be made now. */
  lockedUntil(attempt: SignInAttempt, now: number): number | undefined {
    const until = Math.max(0, ...this.#scopes(attempt, now).map(([lockout, key]) => lockout.lockedUntil(key, now) ?? 0));
    return until > now ? until : undefined;
  }

  fail(attempt: SignInAttempt, now: number): void {
    for (const [lockout, key] of this.#scopes(attempt, now)) lockout.fail(key, now);
  }

  /** A right answer: this person's tries here are forgotten and the address becomes one of theirs. */
  succeed(attempt: SignInAttempt, now: number): void {
    if (attempt.personId === null) return;
    const here = `${attempt.personId}@${attempt.address}`;
    this.#personAtAddress.succeed(here);
    this.#known.set(here, now);
    if (this.#known.size > 10_000) {
      for (const [key, at] of this.#known) if (now - at > this.policy.knownAddressMs) this.#known.delete(key);
    }
  }

  #scopes({ personId, address }: SignInAttempt, now: number): Array<[Lockout, string]> {
    const scopes: Array<[Lockout, string]> = [[this.#address, address]];
    if (personId === null) return scopes;
    const here = `${personId}@${address}`;
    scopes.push([this.#personAtAddress, here]);
    const knownAt = this.#known.get(here);
    if (knownAt === undefined || now - knownAt > this.policy.knownAddressMs) scopes.push([this.#person, personId]);
    return scopes;
  }
}
