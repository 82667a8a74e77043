const INITIAL_CAPACITY = 1024;

/**
 * The last minutes of one chair's cycle rate, for its chart. Times and rates sit in two typed
 * arrays used as a ring, so that a point costs no object of its own: fifty a second per chair, each
 * kept three minutes, were 144,000 small arrays at sixteen chairs, every one of them promoted to the
 * old generation for the garbage collector to walk. The ring doubles when the window holds more
 * points than it has room for, and never shrinks: its size is bounded by the fastest rate seen.
 */
export class RateSeries {
  #at = new Float64Array(INITIAL_CAPACITY);
  #hz = new Float64Array(INITIAL_CAPACITY);
  /** Where the oldest point is, and how many there are. */
  #first = 0;
  #length = 0;

  constructor(private readonly windowMs: number) {}

  get length(): number {
    return this.#length;
  }

  /** Points the ring has room for before it must grow. */
  get capacity(): number {
    return this.#at.length;
  }

  /** A new reading; readings older than the window before it are let go. */
  push(at: number, cycleHz: number): void {
    const cutoff = at - this.windowMs;
    while (this.#length > 0 && this.#at[this.#first]! < cutoff) {
      this.#first = (this.#first + 1) % this.#at.length;
      this.#length -= 1;
    }
    if (this.#length === this.#at.length) this.#grow();
    const slot = (this.#first + this.#length) % this.#at.length;
    this.#at[slot] = at;
    this.#hz[slot] = cycleHz;
    this.#length += 1;
  }

  /** The points held, oldest first, as the live protocol sends them. */
  points(): Array<[number, number]> {
    const points: Array<[number, number]> = new Array(this.#length);
    for (let i = 0; i < this.#length; i++) {
      const slot = (this.#first + i) % this.#at.length;
      points[i] = [this.#at[slot]!, this.#hz[slot]!];
    }
    return points;
  }

  #grow(): void {
    const at = new Float64Array(this.#at.length * 2);
    const hz = new Float64Array(this.#hz.length * 2);
    for (let i = 0; i < this.#length; i++) {
      const slot = (this.#first + i) % this.#at.length;
      at[i] = this.#at[slot]!;
      hz[i] = this.#hz[slot]!;
    }
    this.#at = at;
    this.#hz = hz;
    this.#first = 0;
  }
}
