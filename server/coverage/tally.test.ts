import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CELL_COUNT, cellOf } from './grid.ts';
import { CoverageTally, type CountedDot } from './tally.ts';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const dotArb: fc.Arbitrary<CountedDot> = fc.record({
  region: fc.constantFrom('crown', 'midscalp', 'hairline', 'scar-strip', 'unassigned'),
  position: fc.option(fc.tuple(unit, unit), { nil: undefined }),
}).map(({ region, position }) => (position ? { region, x: position[0], y: position[1] } : { region }));

function tallyOf(dots: readonly CountedDot[]): CoverageTally {
  const tally = new CoverageTally();
  for (const dot of dots) tally.add(dot);
  return tally;
}

function snapshot(tally: CoverageTally) {
  return { total: tally.total, regions: Object.fromEntries([...tally.regions].sort()), cells: [...tally.cells] };
}

describe('counting dots per region and cell', () => {
  it('adding the same dots in any order gives the same counts', () => {
    fc.assert(
      fc.property(
        fc.array(dotArb, { maxLength: 200 }).chain((dots) => fc.tuple(fc.constant(dots), fc.shuffledSubarray(dots, { minLength: dots.length }))),
        ([dots, shuffled]) => {
          expect(snapshot(tallyOf(shuffled))).toEqual(snapshot(tallyOf(dots)));
        },
      ),
    );
  });

  it('every dot counts once in its region and the total; a dot with a position once in its cell', () => {
    fc.assert(
      fc.property(fc.array(dotArb, { maxLength: 200 }), (dots) => {
        const tally = tallyOf(dots);
        expect(tally.total).toBe(dots.length);
        expect([...tally.regions.values()].reduce((a, b) => a + b, 0)).toBe(dots.length);
        for (const region of new Set(dots.map((d) => d.region))) {
          expect(tally.region(region)).toBe(dots.filter((d) => d.region === region).length);
        }
        expect(tally.cells.reduce((a, b) => a + b, 0)).toBe(dots.filter((d) => d.x !== undefined).length);
      }),
    );
  });

  it('add returns the cell of a dot with a position and nothing for one without', () => {
    const tally = new CoverageTally();
    expect(tally.add({ region: 'crown', x: 0.5, y: 0.7 })).toBe(cellOf(0.5, 0.7));
    expect(tally.add({ region: 'crown' })).toBeUndefined();
    expect(tally.add({ region: 'crown', x: 0.5 })).toBeUndefined();
    expect(tally.region('crown')).toBe(3);
    expect(tally.region('frontal')).toBe(0);
    expect(tally.cells[cellOf(0.5, 0.7)]).toBe(1);
    expect(tally.cells).toHaveLength(CELL_COUNT);
  });

  it('counts read back as region and cell sums equal the same dots added one by one', () => {
    fc.assert(
      fc.property(fc.array(dotArb, { maxLength: 200 }), (dots) => {
        const one = tallyOf(dots);
        const summed = new CoverageTally();
        for (const [region, n] of one.regions) summed.addCount(region, n);
        one.cells.forEach((n, cell) => n > 0 && summed.addCell(cell, n));
        expect(snapshot(summed)).toEqual(snapshot(one));
      }),
    );
  });
});
