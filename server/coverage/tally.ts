import { CELL_COUNT, cellOf } from './grid.ts';

export interface CountedDot {
  region: string;
  x?: number | undefined;
  y?: number | undefined;
}

/**
 * Dots counted per region and per grid cell: one session's, or the sum of a patient's earlier
 * ones. Adding a dot is O(1) whatever the session holds; the store keeps the same counts in the
 * dot's own transaction, so a tally rebuilt from it after a restart reads the same.
 */
export class CoverageTally {
  readonly cells = new Uint32Array(CELL_COUNT);
  readonly regions = new Map<string, number>();
  total = 0;

  /** Counts one stored dot; returns the cell it fell in, if it carried a position. */
  add(dot: CountedDot): number | undefined {
    this.addCount(dot.region, 1);
    if (dot.x === undefined || dot.y === undefined) return undefined;
    const cell = cellOf(dot.x, dot.y);
    this.cells[cell]! += 1;
    return cell;
  }

  addCount(region: string, n: number): void {
    this.regions.set(region, (this.regions.get(region) ?? 0) + n);
    this.total += n;
  }

  addCell(cell: number, n: number): void {
    this.cells[cell]! += n;
  }

  region(id: string): number {
    return this.regions.get(id) ?? 0;
  }
}
