import { describe, expect, it } from 'vitest';
import { decimate } from '../web/src/routes/sessions/[id]/decimate.ts';

describe('the report\'s cycle-rate chart', () => {
  it('an eight-hour session is drawn at one point per pixel column, keeping every spike', () => {
    const n = 8 * 3600;
    const series = { t: [] as number[], min: [] as number[], mean: [] as number[], max: [] as number[], running: [] as number[] };
    for (let i = 0; i < n; i++) {
      series.t.push(1_000_000 + i);
      series.min.push(110);
      series.mean.push(120);
      series.max.push(i === 12_345 ? 190 : 130);
      series.running.push(1);
    }
    series.min[20_000] = 40;
    const [t, min, mean, max] = decimate(series, 1000);
    expect(t.length).toBeLessThanOrEqual(1000);
    expect(t.length).toBeGreaterThan(990);
    expect(Math.max(...max)).toBe(190);
    expect(Math.min(...min)).toBe(40);
    expect(new Set(mean)).toEqual(new Set([120]));
  });

  it('a short session is drawn as it is', () => {
    const series = { t: [1, 2, 3], min: [100, 101, 102], mean: [110, 111, 112], max: [120, 121, 122], running: [1, 1, 1] };
    expect(decimate(series, 1000)).toEqual([series.t, series.min, series.mean, series.max]);
  });
});
