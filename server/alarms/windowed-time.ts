/**
 * How long something held within the last `windowMs` of a time axis the caller chooses (the clock,
 * or needle time): "5 s out of band within the last 10 s", which a fault that comes and goes
 * reaches as surely as one that holds, where "5 s in a row" is wiped out by one good sample.
 *
 * Memory is a fixed ring of buckets, whatever the sample rate and however long the day: each
 * bucket keeps the time that fell within its `bucketMs` of the axis. The oldest bucket counts
 * whole, so the window's far edge is rounded down to a bucket boundary: at a boundary the window
 * is exactly `windowMs`, in between at most one bucket longer. Adding a stretch costs one step
 * per bucket it touches, moving on one step per bucket passed: O(1) for a telemetry sample, and
 * nothing is allocated after construction. Pure: every call carries its place on the axis, and
 * places never go back (a stretch or a moment older than the window is ignored).
 */
export class WindowedTime {
  readonly #buckets: Float64Array;
  /** The index (place / bucketMs) of the newest bucket in the ring. */
  #newest = Number.NEGATIVE_INFINITY;
  #total = 0;

  constructor(
    readonly windowMs: number,
    private readonly bucketMs: number,
  ) {
    if (!(bucketMs > 0) || !Number.isInteger(windowMs / bucketMs)) throw new RangeError('the window must be a whole number of buckets');
    this.#buckets = new Float64Array(windowMs / bucketMs + 1);
  }

  /** It held from `from` to `to` on the axis. */
  add(from: number, to: number): void {
    this.#moveTo(to);
    // What is older than the ring is outside every window still to come.
    const oldest = (this.#newest - this.#buckets.length + 1) * this.bucketMs;
    for (let at = Math.max(from, oldest); at < to; ) {
      const bucket = Math.floor(at / this.bucketMs);
      const end = Math.min(to, (bucket + 1) * this.bucketMs);
      const slot = this.#slot(bucket);
      this.#buckets[slot] = this.#buckets[slot]! + (end - at);
      this.#total += end - at;
      at = end;
    }
  }

  /** How long it held within the window that ends at `now`. */
  within(now: number): number {
    this.#moveTo(now);
    return this.#total;
  }

  clear(): void {
    this.#buckets.fill(0);
    this.#total = 0;
  }

  /** Makes the bucket of `at` the newest, emptying the ones it passes (they held what has left the window). */
  #moveTo(at: number): void {
    const bucket = Math.floor(at / this.bucketMs);
    if (bucket <= this.#newest) return;
    if (bucket - this.#newest >= this.#buckets.length) this.clear();
    else {
      for (let b = this.#newest + 1; b <= bucket; b++) {
        const slot = this.#slot(b);
        this.#total -= this.#buckets[slot]!;
        this.#buckets[slot] = 0;
      }
    }
    this.#newest = bucket;
  }

  #slot(bucket: number): number {
    const n = this.#buckets.length;
    return ((bucket % n) + n) % n;
  }
}
