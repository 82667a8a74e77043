import { describe, expect, it } from 'vitest';
import { RateSeries } from './rate-series.ts';

describe('a chair\'s cycle-rate series', () => {
  it('holds the readings of the last window, oldest first', () => {
    const series = new RateSeries(1_000);
    for (let at = 0; at <= 3_000; at += 100) series.push(at, at / 100);
    expect(series.points()).toEqual(Array.from({ length: 11 }, (_, i) => [2_000 + i * 100, 20 + i]));
  });

  it('grows past its first size when the window holds more, in order', () => {
    const series = new RateSeries(60_000);
    for (let at = 0; at < 5_000; at++) series.push(at, at % 30);
    expect(series.length).toBe(5_000);
    expect(series.points().map(([at]) => at)).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
  });

  it('stays the same size over a day at a steady rate: memory does not grow with time', () => {
    const series = new RateSeries(180_000);
    for (let at = 0; at < 600_000; at += 20) series.push(at, 120);
    const capacity = series.capacity;
    // Seven more hours of readings, fifty a second.
    for (let at = 600_000; at < 8 * 3_600_000; at += 20) series.push(at, 120);
    expect(series.capacity).toBe(capacity);
    expect(series.length).toBe(180_000 / 20 + 1);
  });
});
