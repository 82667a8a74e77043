import { WindowedTime } from './windowed-time.ts';

export interface ContactRule {
  /** Out of contact this long in a row: an outage, a condition on its own. */
  inARowMs: number;
  /** A stretch out of contact shorter than this is the normal spacing of contact and counts for nothing. */
  graceMs: number;
  /** A link that keeps dropping: this much out of contact within the window... */
  flappingMs: number;
  windowMs: number;
  /** ...holds the condition, back in contact or not, until the window holds less than this. */
  settledBelowMs: number;
}

/**
 * Contact with a handpiece lost and found again: offline and back online, or online with a gap
 * between samples. A condition that holds while contact is lost for `inARowMs` in a row, or while
 * the stretches add up to `flappingMs` within the window (each counting up to `inARowMs`: past
 * that it is an outage, raised and cleared on its own, so one long outage ends the moment contact
 * is back). Once flapping, coming back in contact is no longer the all-clear: the window must
 * quieten below `settledBelowMs` first, so a link that keeps dropping is one alarm, not one per drop.
 * Pure: every call carries its moment.
 */
export class ContactLoss {
  #since: number | null = null;
  /** How far the current stretch has been added to the window. */
  #countedTo = 0;
  #flapping = false;
  readonly #window: WindowedTime;

  constructor(private readonly rule: ContactRule) {
    this.#window = new WindowedTime(rule.windowMs, 1_000);
  }

  /** Out of contact from `at`: gone offline, or the sample just received (silence starts after each). A later start wins. */
  lostAt(at: number): void {
    this.#count(at);
    this.#since = Math.max(this.#since ?? at, at);
    this.#countedTo = this.#since;
  }

  /** In contact again at `at`. */
  back(at: number): void {
    this.#count(at);
    this.#since = null;
  }

  /** Out of contact this long in the current stretch (0 when in contact). */
  lostFor(at: number): number {
    return this.#since === null ? 0 : at - this.#since;
  }

  /** Out of contact this long within the window. */
  lostWithin(at: number): number {
    this.#count(at);
    return this.#window.within(at);
  }

  /** Whether the condition should hold at `at`: an outage, or a link out of contact again while flapping. */
  due(at: number): boolean {
    this.#count(at);
    return this.lostFor(at) >= this.rule.inARowMs || (this.#flapping && this.#lost(at));
  }

  /** Whether the condition may clear at `at`: in contact, and the link no longer flapping. */
  settled(at: number): boolean {
    this.#count(at);
    return !this.#lost(at) && !this.#flapping;
  }

  /** A new session starts from nothing; the stretch in progress goes on. */
  reset(): void {
    this.#window.clear();
    this.#flapping = false;
  }

  /** Out of contact past the grace: the spacing of samples is no loss. */
  #lost(at: number): boolean {
    return this.#since !== null && at - this.#since >= this.rule.graceMs;
  }

  #count(at: number): void {
    const since = this.#since;
    if (since !== null && this.#lost(at)) {
      this.#window.add(Math.max(this.#countedTo, since), Math.min(at, since + this.rule.inARowMs));
      this.#countedTo = Math.max(this.#countedTo, at);
    }
    const total = this.#window.within(at);
    if (total >= this.rule.flappingMs) this.#flapping = true;
    else if (total < this.rule.settledBelowMs) this.#flapping = false;
  }
}
