import type { PlanRegion } from '../protocol/plan.ts';

/**
 * A steady operator's pace, pauses included: a session of more than 40,000 dots takes up to eight
 * hours (domain notes), so about 5,000 dots an hour.
 */
export const DOTS_PER_HOUR = 5_000;

export function targetDots(region: Pick<PlanRegion, 'areaCm2' | 'density'>): number {
  return Math.round(region.areaCm2 * region.density);
}

export function planTotals(regions: Readonly<Record<string, Pick<PlanRegion, 'areaCm2' | 'density'>>>) {
  let dots = 0;
  let areaCm2 = 0;
  for (const region of Object.values(regions)) {
    dots += targetDots(region);
    areaCm2 += region.areaCm2;
  }
  return { dots, areaCm2, hours: dots / DOTS_PER_HOUR };
}
