/** The soak benchmark's arithmetic, apart from its sockets and processes. */

export interface Point {
  /** Hours of nominal load (clinic time) at the reading. */
  hours: number;
  value: number;
}

/** Least-squares slope of `value` per hour: the trend of a series that saws up and down with GC. */
export function slopePerHour(points: readonly Point[]): number {
  if (points.length < 2) return NaN;
  const n = points.length;
  const meanX = points.reduce((s, p) => s + p.hours, 0) / n;
  const meanY = points.reduce((s, p) => s + p.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.hours - meanX) * (p.value - meanY);
    den += (p.hours - meanX) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/**
 * The floor of a sawing series per window of `hours`: the V8 heap right after its collections,
 * which is what stays; a reading between two collections says more about the GC's timing.
 */
export function floorsPerWindow(points: readonly Point[], hours: number): Point[] {
  const windows = new Map<number, Point>();
  for (const p of points) {
    const index = Math.floor(p.hours / hours);
    const low = windows.get(index);
    if (!low || p.value < low.value) windows.set(index, { hours: (index + 0.5) * hours, value: p.value });
  }
  return [...windows.values()];
}

/** The mean of the points within [from, to) hours: where a series stood at that stretch of the day. */
export function levelBetween(points: readonly Point[], from: number, to: number): number {
  const inside = points.filter((p) => p.hours >= from && p.hours < to);
  return inside.reduce((s, p) => s + p.value, 0) / inside.length;
}
