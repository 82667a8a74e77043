import type { CycleSeries } from '$protocol/report';

/** uPlot's columns for the rate chart: time, lowest, mean, highest. */
export type RateColumns = [number[], number[], number[], number[]];

/**
 * The cycle-rate series reduced to at most `columns` points, one per pixel column: each keeps the
 * lowest low, the highest high and the mean of its seconds, so a spike survives and an eight-hour
 * session draws as fast as a ten-minute one.
 */
export function decimate(series: CycleSeries, columns: number): RateColumns {
  const n = series.t.length;
  if (n <= columns) return [series.t, series.min, series.mean, series.max];
  const out: RateColumns = [[], [], [], []];
  const t0 = series.t[0]!;
  const span = series.t[n - 1]! - t0 || 1;
  let i = 0;
  for (let column = 0; column < columns && i < n; column++) {
    const end = t0 + (span * (column + 1)) / columns;
    let low = Infinity;
    let high = -Infinity;
    let sum = 0;
    let count = 0;
    const first = series.t[i]!;
    while (i < n && (series.t[i]! <= end || column === columns - 1)) {
      low = Math.min(low, series.min[i]!);
      high = Math.max(high, series.max[i]!);
      sum += series.mean[i]!;
      count += 1;
      i += 1;
    }
    if (count === 0) continue;
    out[0].push(first);
    out[1].push(low);
    out[2].push(Math.round((sum / count) * 10) / 10);
    out[3].push(high);
  }
  return out;
}
