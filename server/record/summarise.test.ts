import { describe, expect, it } from 'vitest';
import { quantile, spreadOf, summariseRegions, tallyDots, totalsOf, type RegionDots } from './summarise.ts';
import type { PlanRegion } from '../protocol/plan.ts';

const region = (areaCm2: number, density: number, needles: number): PlanRegion => ({ areaCm2, density, needles, skin: 'normal', hue: '', note: '' });
const dots = (count: number, needles: Array<[number, number]>, dwell: number[]): RegionDots => ({
  count, needles: new Map(needles), dwellMs: spreadOf(dwell), cycles: spreadOf(dwell.map((d) => d / 10)),
});

describe('the report\'s region table', () => {
  it('quantiles interpolate between neighbours; no dots is no spread', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(spreadOf([100, 300, 200, 400, 500])).toEqual({ median: 300, p25: 200, p75: 400 });
    expect(spreadOf([])).toBeNull();
  });

  it('puts placed against target, density over the stippled area, needles used against planned', () => {
    const plan = { crown: region(20, 25, 3), frontal: region(10, 30, 3) };
    const [crown, frontal, unassigned] = summariseRegions(
      plan,
      new Map([['crown', dots(550, [[3, 500], [5, 50]], [100, 120, 140])], ['unassigned', dots(4, [[3, 4]], [90])]]),
      new Map([['crown', 2]]),
    );
    expect(crown).toMatchObject({ region: 'crown', targetDots: 500, placedDots: 550, percentOfTarget: 110, densityPerCm2: 27.5, needles: { 3: 500, 5: 50 }, plannedNeedles: 3, overworkHints: 2 });
    expect(crown!.dwellMs).toEqual({ median: 120, p25: 110, p75: 130 });
    expect(frontal).toMatchObject({ placedDots: 0, percentOfTarget: 0, needles: {}, dwellMs: null });
    expect(unassigned).toMatchObject({ region: 'unassigned', targetDots: null, percentOfTarget: null, placedDots: 4 });
    expect(totalsOf([crown!, frontal!, unassigned!], 3)).toEqual({ placedDots: 554, targetDots: 800, percentOfTarget: 69.3, flaggedInBreaks: 3 });
  });

  it('tallies dots by region: counts, needle groupings, and the spread of dwell and cycles', () => {
    const tally = tallyDots([['crown', 18, 150, 3], ['crown', 22, 170, 3], ['crown', 20, 160, 5], ['occipital', 12, 90, 1]]);
    expect(tally.get('crown')).toEqual({ count: 3, needles: new Map([[3, 2], [5, 1]]), dwellMs: { median: 160, p25: 155, p75: 165 }, cycles: { median: 20, p25: 19, p75: 21 } });
    expect(tally.get('occipital')!.count).toBe(1);
  });

  it('without a plan, regions are listed as the dots went, with no targets', () => {
    const rows = summariseRegions(null, new Map([['occipital', dots(3, [[1, 3]], [50])], ['crown', dots(2, [[1, 2]], [60])]]), new Map());
    expect(rows.map((r) => [r.region, r.targetDots, r.densityPerCm2])).toEqual([['crown', null, null], ['occipital', null, null]]);
  });
});
