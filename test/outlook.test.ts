import { describe, expect, it } from 'vitest';
import { fatigueRuns, forecastAccuracy, paceChangeRecovery, seedsFrom } from './helpers/outlook-measures.ts';

// Seeded, so deterministic: these are the figures docs/fatigue.md reports (`npm run bench:outlook`
// measures more seeds and the harder variants).
const SEEDS = seedsFrom(1, 10);

describe('the finish forecast, over seeded accelerated sessions', () => {
  const checks = forecastAccuracy(SEEDS);

  it.each([0.25, 0.5, 0.75])('made at %s of the plan at steady pace, it is within ±5 % of the actual finish, and the finish falls in its range in 8 of 10 seeds', (share) => {
    const made = checks.filter((c) => c.share === share);
    expect(made.map((c) => c.seed)).toEqual(SEEDS);
    for (const check of made) expect(Math.abs(check.error), `seed ${check.seed}`).toBeLessThanOrEqual(0.05);
    expect(made.filter((c) => c.inRange).length).toBeGreaterThanOrEqual(8);
  });

  it.each([1.3, 0.75])('when the pace changes for good halfway (time per dot × %s), it is back within ±5 % within 15 minutes', (factor) => {
    for (const run of paceChangeRecovery(SEEDS, factor)) {
      // Before the change is noticed the forecast is off by about the change: the test would catch a forecast that never follows.
      expect(Math.abs(run.errors[0]!), `seed ${run.seed} at the change`).toBeGreaterThan(0.05);
      expect(run.recoveredAfter, `seed ${run.seed}`).not.toBeNull();
      expect(run.recoveredAfter!, `seed ${run.seed}`).toBeLessThanOrEqual(15);
    }
  });
});

describe('signs of fatigue read from the work, over 20 seeded eight-hour sessions each', () => {
  const seeds = seedsFrom(1, 20);

  it('a tiring hand shows signs within 30 minutes of the onset in at least 18 of 20 sessions, never before it', () => {
    const runs = fatigueRuns('tiring', seeds);
    const inTime = runs.filter((r) => r.firstSign !== null && r.firstSign >= 0 && r.firstSign <= 30);
    expect(inTime.length).toBeGreaterThanOrEqual(18);
    expect(runs.filter((r) => r.firstSign !== null && r.firstSign < 0)).toEqual([]);
  });

  it('a steady hand shows signs in at most 1 of 20 sessions', () => {
    expect(fatigueRuns('steady', seeds).filter((r) => r.firstSign !== null).length).toBeLessThanOrEqual(1);
  });

  it('a change of skin (dwell and pace change with it) shows signs in at most 1 of 20 sessions', () => {
    expect(fatigueRuns('region-change', seeds).filter((r) => r.firstSign !== null).length).toBeLessThanOrEqual(1);
  });

  it('without the plan saying the skin, the same changes of skin read as fatigue: the control is what keeps them apart', () => {
    expect(fatigueRuns('region-change', seeds, { blindToSkin: true }).filter((r) => r.firstSign !== null).length).toBeGreaterThan(1);
  });
});
