import type { ReplayDots } from '$protocol/report';
import { CoverageGrid } from '$lib/coverage-grid.svelte';

/**
 * The session as it was at any moment: the dots made up to `at` (ms since the start), counted into a
 * coverage grid and per region. Moving the moment adds or takes away only the dots in between, so
 * playing draws a frame in the time of the few dots each frame adds.
 */
export class Replay {
  readonly grid = new CoverageGrid();
  /** Dots per region index at the moment shown. */
  readonly regionCounts: Uint32Array;
  /** How many dots were made up to the moment shown. */
  shown = $state(0);
  at = $state(0);

  constructor(private readonly dots: ReplayDots) {
    this.regionCounts = new Uint32Array(dots.regions.length);
    this.grid.reset(null, undefined);
  }

  get length(): number {
    return this.dots.t.length;
  }

  /** Dots per region id at the moment shown. */
  byRegion(): Record<string, number> {
    return Object.fromEntries(this.dots.regions.map((id, i) => [id, this.regionCounts[i]!]));
  }

  seek(at: number): void {
    const { t, cell, region } = this.dots;
    let shown = this.shown;
    while (shown < t.length && t[shown]! <= at) {
      this.#count(cell[shown]!, region[shown]!, 1);
      shown += 1;
    }
    while (shown > 0 && t[shown - 1]! > at) {
      shown -= 1;
      this.#count(cell[shown]!, region[shown]!, -1);
    }
    this.at = at;
    if (shown !== this.shown) {
      this.shown = shown;
      this.grid.version += 1;
    }
  }

  #count(cell: number, region: number, by: 1 | -1): void {
    if (cell >= 0) this.grid.session[cell] = this.grid.session[cell]! + by;
    this.regionCounts[region] = this.regionCounts[region]! + by;
  }
}
