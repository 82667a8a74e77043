import type { PlanRegion } from '../protocol/plan.ts';
import { regionTargets } from '../plans/plan-math.ts';
import { CELL_COUNT, cellRegions } from './grid.ts';

/** How a plan lays its targets over the grid: each region's target dots spread evenly over its cells. */
export interface CoverageLayout {
  /** The region each cell lies in, null off the scalp. */
  regionOfCell: ReadonlyArray<string | null>;
  /** Target dots per cell this session. */
  cellTarget: Float64Array;
  regionTarget: Readonly<Record<string, number>>;
}

export function coverageLayout(regions: Readonly<Record<string, PlanRegion>>): CoverageLayout {
  const scars = Object.entries(regions).flatMap(([id, r]) => (r.outline ? [{ id, outline: r.outline }] : []));
  const regionOfCell = cellRegions(scars);
  const cellsPerRegion = new Map<string, number>();
  for (const region of regionOfCell) if (region) cellsPerRegion.set(region, (cellsPerRegion.get(region) ?? 0) + 1);

  const regionTarget = regionTargets(regions);
  const cellTarget = new Float64Array(CELL_COUNT);
  regionOfCell.forEach((region, cell) => {
    if (region && regionTarget[region]) cellTarget[cell] = regionTarget[region] / cellsPerRegion.get(region)!;
  });
  return { regionOfCell, cellTarget, regionTarget };
}
