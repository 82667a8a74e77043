/** How often a live drawing ran and how long its latest runs took. */
export interface DrawStats {
  count: number;
  recentMs: number[];
}

const RECENT = 512;

/**
 * The live drawings' meters, read by the browser tests and the benchmarks as
 * `window.__stippleDraws`. Bounded — a count and the last few hundred durations — where marks on
 * the performance timeline would pile up, thousands an hour, for a whole eight-hour session.
 */
const meters: Record<string, DrawStats> = {};
(globalThis as { __stippleDraws?: Record<string, DrawStats> }).__stippleDraws = meters;

export function meterDraw(name: string, draw: () => void): void {
  const start = performance.now();
  draw();
  const meter = (meters[name] ??= { count: 0, recentMs: [] });
  meter.count += 1;
  meter.recentMs.push(performance.now() - start);
  if (meter.recentMs.length > RECENT) meter.recentMs.shift();
}
