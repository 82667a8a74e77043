import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageLevel, LEVEL_LABEL, ON_TARGET } from './levels.ts';

describe('reading done against target', () => {
  it.each([
    [0, 100, 'none'],
    [1, 100, 'under'],
    [89, 100, 'under'],
    [90, 100, 'on'],
    [100, 100, 'on'],
    [110, 100, 'on'],
    [111, 100, 'over'],
    [5_000, 100, 'over'],
  ] as const)('%i dots of a target of %i is %s', (done, target, level) => {
    expect(coverageLevel(done, target)).toBe(level);
  });

  it('the band is ±10% around the target', () => {
    expect(ON_TARGET).toEqual({ min: 0.9, max: 1.1 });
  });

  it('where the plan wants no dots, none is "not started" and any dot is over', () => {
    expect(coverageLevel(0, 0)).toBe('none');
    expect(coverageLevel(1, 0)).toBe('over');
    expect(coverageLevel(3, -1)).toBe('over');
  });

  it('exactly 90% and exactly 110% are on target for any target, one dot beyond either side is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (k) => {
        const target = 10 * k;
        expect(coverageLevel(9 * k, target)).toBe('on');
        expect(coverageLevel(11 * k, target)).toBe('on');
        expect(coverageLevel(11 * k + 1, target)).toBe('over');
        expect(coverageLevel(9 * k - 1, target)).toBe(9 * k - 1 === 0 ? 'none' : 'under');
      }),
    );
  });

  it('the level never goes down as dots are added to a region', () => {
    const order = ['none', 'under', 'on', 'over'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000 }), fc.nat({ max: 6_000 }), (target, done) => {
        expect(order.indexOf(coverageLevel(done + 1, target))).toBeGreaterThanOrEqual(order.indexOf(coverageLevel(done, target)));
      }),
    );
  });

  it('every level has a label for the legend', () => {
    expect(Object.keys(LEVEL_LABEL).sort()).toEqual(['none', 'on', 'over', 'under']);
  });
});
