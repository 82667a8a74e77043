/**
 * Estimates a device's clock offset (server time − device time) from the messages it sends, so
 * that a dot's `ts` can be placed on the server's timeline and attributed to the right session.
 *
 * Each message gives a sample `receivedAt − ts` = offset + transit delay. The smallest sample is
 * the best estimate (least delay), as in NTP's minimum filter. Resent messages have large samples
 * (old ts), so they never pull the estimate. If a whole window of samples sits well above the
 * estimate, the device clock was stepped back or drifted: the window's minimum is taken instead.
 */
export class ClockOffsetEstimator {
  #estimate: number | undefined;
  #windowStart: number | undefined;
  #windowMin = Infinity;

  constructor(
    initial: number | null,
    private readonly windowMs = 60_000,
    private readonly stepMs = 1_000,
  ) {
    this.#estimate = initial ?? undefined;
  }

  get offsetMs(): number | undefined {
    return this.#estimate;
  }

  observe(deviceTs: number, receivedAt: number): void {
    const sample = receivedAt - deviceTs;
    if (this.#windowStart === undefined || receivedAt - this.#windowStart >= this.windowMs) {
      if (this.#windowStart !== undefined && this.#windowMin - (this.#estimate ?? -Infinity) > this.stepMs) {
        this.#estimate = this.#windowMin;
      }
      this.#windowStart = receivedAt;
      this.#windowMin = sample;
    } else {
      this.#windowMin = Math.min(this.#windowMin, sample);
    }
    if (this.#estimate === undefined || sample < this.#estimate) this.#estimate = sample;
  }

  /** The device time `ts` on the server's clock. */
  toServerTime(deviceTs: number): number {
    return Math.round(deviceTs + (this.#estimate ?? 0));
  }
}
