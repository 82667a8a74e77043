import { GRID } from './grid.ts';

/**
 * Done against target for every cell, over the cell and its eight neighbours (ratio of sums), so
 * that the chance scatter of single dots does not paint noise. NaN where no dot is near (nothing
 * to draw); Infinity where dots lie where the plan wants none. Writes into `out` and returns it.
 */
export function heatRatios(
  done: ArrayLike<number>,
  target: ArrayLike<number>,
  onScalp: ArrayLike<boolean>,
  out: Float32Array,
): Float32Array {
  for (let row = 0; row < GRID; row++) {
    for (let col = 0; col < GRID; col++) {
      const cell = row * GRID + col;
      if (!onScalp[cell]) {
        out[cell] = NaN;
        continue;
      }
      let d = 0;
      let t = 0;
      for (let r = Math.max(0, row - 1); r <= Math.min(GRID - 1, row + 1); r++) {
        for (let c = Math.max(0, col - 1); c <= Math.min(GRID - 1, col + 1); c++) {
          const n = r * GRID + c;
          if (!onScalp[n]) continue;
          d += done[n]!;
          t += target[n]!;
        }
      }
      out[cell] = d === 0 ? NaN : t > 0 ? d / t : Infinity;
    }
  }
  return out;
}
