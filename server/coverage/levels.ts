/**
 * One reading of done against target, for the region colours, the heat layer, its legend and the
 * over-target guidance alike. Within ±10% is on target; dots where the plan wants none are over.
 */
export const ON_TARGET = { min: 0.9, max: 1.1 } as const;

export type CoverageLevel = 'none' | 'under' | 'on' | 'over';

export function coverageLevel(done: number, target: number): CoverageLevel {
  if (target <= 0) return done > 0 ? 'over' : 'none';
  const ratio = done / target;
  if (ratio > ON_TARGET.max) return 'over';
  if (ratio >= ON_TARGET.min) return 'on';
  return done > 0 ? 'under' : 'none';
}

export const LEVEL_LABEL: Readonly<Record<CoverageLevel, string>> = {
  none: 'Not started',
  under: 'Under target',
  on: 'On target',
  over: 'Over target',
};
