import type { PlanRegion } from '../protocol/plan.ts';
import { centroid, regionAt } from '../scalp/regions.ts';

/**
 * A steady operator's pace, pauses included: a session of more than 40,000 dots takes up to eight
 * hours (domain notes), so about 5,000 dots an hour.
 */
export const DOTS_PER_HOUR = 5_000;

type Sized = Pick<PlanRegion, 'areaCm2' | 'density' | 'outline'>;

export function targetDots(region: Pick<PlanRegion, 'areaCm2' | 'density'>): number {
  return Math.round(region.areaCm2 * region.density);
}

/**
 * The area each region is stippled over. A scar lies on a standard region: its area is taken from
 * the region under its middle, so that no square centimetre is planned twice.
 */
export function stippledAreas(regions: Readonly<Record<string, Sized>>): Record<string, number> {
  const carved: Record<string, number> = {};
  for (const region of Object.values(regions)) {
    if (!region.outline) continue;
    const [x, y] = centroid(region.outline);
    const under = regionAt(x, y);
    if (under) carved[under] = (carved[under] ?? 0) + region.areaCm2;
  }
  const areas: Record<string, number> = {};
  for (const [id, region] of Object.entries(regions)) areas[id] = Math.max(0, region.areaCm2 - (carved[id] ?? 0));
  return areas;
}

/** Each region's target dots this session: its stippled area × its density. */
export function regionTargets(regions: Readonly<Record<string, Sized>>): Record<string, number> {
  const areas = stippledAreas(regions);
  const targets: Record<string, number> = {};
  for (const [id, region] of Object.entries(regions)) targets[id] = targetDots({ areaCm2: areas[id]!, density: region.density });
  return targets;
}

export function planTotals(regions: Readonly<Record<string, Sized>>) {
  const dots = Object.values(regionTargets(regions)).reduce((sum, n) => sum + n, 0);
  const areaCm2 = Object.values(stippledAreas(regions)).reduce((sum, n) => sum + n, 0);
  return { dots, areaCm2, hours: dots / DOTS_PER_HOUR };
}

/**
 * The sum of a treatment's plans, region by region: what the whole treatment aims for. A region's
 * density adds up over the sessions (their areas are the same head's); a scar planned in any
 * session is part of the whole.
 */
export function summedRegions(plans: ReadonlyArray<Readonly<Record<string, PlanRegion>>>): Record<string, PlanRegion> {
  const summed: Record<string, PlanRegion> = {};
  for (const regions of plans) {
    for (const [id, region] of Object.entries(regions)) {
      const before = summed[id];
      summed[id] = before ? { ...before, density: before.density + region.density } : { ...region };
    }
  }
  return summed;
}
