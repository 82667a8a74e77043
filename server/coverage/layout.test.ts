import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanRegion } from '../protocol/plan.ts';
import { STANDARD_REGIONS } from '../protocol/v1.ts';
import { isOnScalp } from '../scalp/regions.ts';
import { CELL_COUNT, cellCentre, cellOf } from './grid.ts';
import { regionTargets } from '../plans/plan-math.ts';
import { coverageLayout } from './layout.ts';

const region = (areaCm2: number, density: number, extra: Partial<PlanRegion> = {}): PlanRegion => ({
  areaCm2, density, skin: 'normal', needles: 3, hue: '', note: '', ...extra,
});

type Box = Array<[number, number]>;
const box = (cx: number, cy: number, half: number): Box => [
  [cx - half, cy - half], [cx + half, cy - half], [cx + half, cy + half], [cx - half, cy + half],
];

/**
 * A square scar on the scalp: anywhere, from far smaller than a cell to several cm across, or a
 * tiny one near one of a few spots, so that small scars often share a cell (FUE scars lie close).
 */
const scarBox = fc
  .oneof(
    fc.record({
      cx: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      cy: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      half: fc.double({ min: 0.001, max: 0.08, noNaN: true }),
    }),
    fc.record({
      spot: fc.constantFrom([0.5, 0.7], [0.3, 0.3], [0.62, 0.9]),
      dx: fc.double({ min: 0, max: 0.02, noNaN: true }),
      dy: fc.double({ min: 0, max: 0.02, noNaN: true }),
      half: fc.double({ min: 0.0005, max: 0.01, noNaN: true }),
    }).map(({ spot, dx, dy, half }) => ({ cx: spot[0]! + dx, cy: spot[1]! + dy, half })),
  )
  .map(({ cx, cy, half }) => box(cx, cy, half))
  .filter((outline) => outline.every(([x, y]) => isOnScalp(x, y)));

const areaArb = fc.double({ min: 0.5, max: 1000, noNaN: true });
const densityArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }));

const planArb = fc.record({
  standard: fc.tuple(...STANDARD_REGIONS.map(() => fc.tuple(areaArb, densityArb))),
  scars: fc.array(fc.tuple(scarBox, areaArb, densityArb), { maxLength: 4 }),
}).map(({ standard, scars }) => {
  const regions: Record<string, PlanRegion> = {};
  STANDARD_REGIONS.forEach((id, i) => (regions[id] = region(standard[i]![0], standard[i]![1])));
  scars.forEach(([outline, area, density], i) => (regions[`scar-${i + 1}`] = region(area, density, { skin: 'scar', outline })));
  return regions;
});

function cellSumsByRegion(layout: ReturnType<typeof coverageLayout>): Map<string, number> {
  const sums = new Map<string, number>();
  layout.regionOfCell.forEach((id, cell) => {
    if (id) sums.set(id, (sums.get(id) ?? 0) + layout.cellTarget[cell]!);
  });
  return sums;
}

describe('laying a plan over the grid', () => {
  it('per region, the cell targets add up to the region\'s target dots, for any densities, areas and scars', () => {
    fc.assert(
      fc.property(planArb, (regions) => {
        const layout = coverageLayout(regions);
        const sums = cellSumsByRegion(layout);
        const targets = regionTargets(regions);
        for (const [id, plan] of Object.entries(regions)) {
          // A scar's area comes out of the region under it; elsewhere the target is area × density.
          const target = targets[id]!;
          if (!Object.values(regions).some((r) => r.outline)) expect(target).toBe(Math.round(plan.areaCm2 * plan.density));
          expect(layout.regionTarget[id]).toBe(target);
          expect(sums.get(id) ?? 0).toBeCloseTo(target, 6);
        }
        expect(layout.cellTarget.every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a region\'s target is spread evenly over its cells', () => {
    const regions: Record<string, PlanRegion> = {};
    for (const id of STANDARD_REGIONS) regions[id] = region(50, 20);
    const layout = coverageLayout(regions);
    const crownCells = layout.regionOfCell.flatMap((id, cell) => (id === 'crown' ? [cell] : []));
    expect(crownCells.length).toBeGreaterThan(10);
    for (const cell of crownCells) expect(layout.cellTarget[cell]).toBeCloseTo(1000 / crownCells.length, 9);
  });

  it('cells off the scalp have no region and no target', () => {
    const regions: Record<string, PlanRegion> = {};
    for (const id of STANDARD_REGIONS) regions[id] = region(100, 100);
    const layout = coverageLayout(regions);
    let off = 0;
    for (let cell = 0; cell < CELL_COUNT; cell++) {
      const [x, y] = cellCentre(cell);
      if (isOnScalp(x, y)) continue;
      off += 1;
      expect(layout.regionOfCell[cell]).toBeNull();
      expect(layout.cellTarget[cell]).toBe(0);
    }
    expect(off).toBeGreaterThan(0);
  });

  it('a region the plan leaves out (density 0) has target 0 in every one of its cells', () => {
    const regions: Record<string, PlanRegion> = {};
    for (const id of STANDARD_REGIONS) regions[id] = region(80, id === 'occipital' ? 0 : 30);
    const layout = coverageLayout(regions);
    expect(layout.regionTarget.occipital).toBe(0);
    const occipital = layout.regionOfCell.flatMap((id, cell) => (id === 'occipital' ? [cell] : []));
    expect(occipital.length).toBeGreaterThan(0);
    for (const cell of occipital) expect(layout.cellTarget[cell]).toBe(0);
  });

  it('a scar too small for any cell centre still gets a cell carrying all of its target', () => {
    const regions: Record<string, PlanRegion> = {};
    for (const id of STANDARD_REGIONS) regions[id] = region(80, 30);
    regions['scar-fue'] = region(0.2, 50, { skin: 'scar', outline: box(0.505, 0.705, 0.003) });
    const layout = coverageLayout(regions);
    const cell = cellOf(0.505, 0.705);
    expect(layout.regionOfCell[cell]).toBe('scar-fue');
    expect(layout.cellTarget[cell]).toBe(10);
  });
});
