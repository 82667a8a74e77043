/**
 * Throttling of wrong tries by key: a few free tries, then a lock that doubles with each further
 * failure, forgotten after a quiet period. Pure: the caller passes `now`, so tests run on a fake clock.
 */
export interface LockoutPolicy {
  freeFailures: number;
  firstLockMs: number;
  maxLockMs: number;
  /** Failures older than this are forgotten. */
  memoryMs: number;
}

export const defaultLockout: LockoutPolicy = { freeFailures: 5, firstLockMs: 60_000, maxLockMs: 15 * 60_000, memoryMs: 15 * 60_000 };

interface Record {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/** Past this many keys, forgotten ones are swept out: a host inventing addresses cannot grow the map for ever. */
const SWEEP_ABOVE_KEYS = 10_000;

export class Lockout {
  readonly #records = new Map<string, Record>();

  constructor(private readonly policy: LockoutPolicy = defaultLockout) {}

  get size(): number {
    return this.#records.size;
  }

  /** When the key may try again, or undefined when it may now. */
  lockedUntil(key: string, now: number): number | undefined {
    const record = this.#fresh(key, now);
    return record && record.lockedUntil > now ? record.lockedUntil : undefined;
  }

  fail(key: string, now: number): void {
    const record = this.#fresh(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
    record.failures += 1;
    record.lastFailureAt = now;
    const over = record.failures - this.policy.freeFailures;
    if (over >= 0) record.lockedUntil = now + Math.min(this.policy.maxLockMs, this.policy.firstLockMs * 2 ** over);
    this.#records.set(key, record);
    if (this.#records.size > SWEEP_ABOVE_KEYS) for (const old of this.#records.keys()) this.#fresh(old, now);
  }

  succeed(key: string): void {
    this.#records.delete(key);
  }

  #fresh(key: string, now: number): Record | undefined {
    const record = this.#records.get(key);
    if (record && now - record.lastFailureAt > this.policy.memoryMs && record.lockedUntil <= now) {
      this.#records.delete(key);
      return undefined;
    }
    return record;
  }
}
