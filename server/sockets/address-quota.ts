/**
 * A bound on sockets per remote address: each socket takes a place and gives it back once (when it
 * closes, or earlier when it has proved itself). One host on the clinic Wi-Fi cannot hold thousands
 * of half-open sockets and starve the handpieces.
 */
export class AddressQuota {
  readonly #held = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A place for `address`, as a give-back function safe to call more than once; undefined when it has none left. */
  take(address: string): (() => void) | undefined {
    const held = this.#held.get(address) ?? 0;
    if (held >= this.limit) return undefined;
    this.#held.set(address, held + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.#held.get(address) ?? 1) - 1;
      if (left > 0) this.#held.set(address, left);
      else this.#held.delete(address);
    };
  }

  held(address: string): number {
    return this.#held.get(address) ?? 0;
  }
}
