import { regionTargets, stippledAreas } from '../plans/plan-math.ts';
import type { PlanRegion } from '../protocol/plan.ts';
import type { RegionResult, Spread } from '../protocol/report.ts';
import { SCALP_REGIONS } from '../scalp/regions.ts';

/** The q-th quantile (0–1) of sorted values, interpolated between neighbours. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export function spreadOf(values: number[]): Spread {
  if (values.length === 0) return null;
  // A typed array sorts numbers as numbers, and fast: a region can hold tens of thousands of dots.
  const sorted = Array.from(Float64Array.from(values).sort());
  const round = (n: number) => Math.round(n * 10) / 10;
  return { median: round(quantile(sorted, 0.5)), p25: round(quantile(sorted, 0.25)), p75: round(quantile(sorted, 0.75)) };
}

/** What a region's dots come to: how many, with which needles, and how long each was worked. */
export interface RegionDots {
  count: number;
  needles: Map<number, number>;
  dwellMs: Spread;
  cycles: Spread;
}

/** Counts a session's dots ([region, cycles, dwellMs, needles] rows) by region. */
export function tallyDots(rows: Iterable<readonly [string, number, number, number]>): Map<string, RegionDots> {
  const byRegion = new Map<string, { count: number; needles: Map<number, number>; dwellMs: number[]; cycles: number[] }>();
  for (const [region, cycles, dwellMs, needles] of rows) {
    let dots = byRegion.get(region);
    if (!dots) byRegion.set(region, (dots = { count: 0, needles: new Map(), dwellMs: [], cycles: [] }));
    dots.count += 1;
    dots.needles.set(needles, (dots.needles.get(needles) ?? 0) + 1);
    dots.dwellMs.push(dwellMs);
    dots.cycles.push(cycles);
  }
  return new Map([...byRegion].map(([region, d]) => [region, { count: d.count, needles: d.needles, dwellMs: spreadOf(d.dwellMs), cycles: spreadOf(d.cycles) }]));
}

const LABELS: Readonly<Record<string, string>> = Object.fromEntries(SCALP_REGIONS.map((r) => [r.id, r.label]));

export function regionLabel(id: string, plan: Readonly<Record<string, PlanRegion>> | null): string {
  return plan?.[id]?.label || LABELS[id] || id;
}

const percent = (placed: number, target: number | null) => (target ? Math.round((placed / target) * 1000) / 10 : null);

/**
 * The per-region table of a report: what was placed against what the plan asked, how densely, with
 * which needles, and how long each dot was worked. The plan's regions come first, in its order;
 * regions dots went to without being planned (or `unassigned`) follow.
 */
export function summariseRegions(
  plan: Readonly<Record<string, PlanRegion>> | null,
  dots: ReadonlyMap<string, RegionDots>,
  overwork: ReadonlyMap<string, number>,
): RegionResult[] {
  const targets = plan ? regionTargets(plan) : {};
  const areas = plan ? stippledAreas(plan) : {};
  const ids = [...Object.keys(plan ?? {}), ...[...dots.keys()].filter((id) => !plan?.[id]).sort()];
  return ids.map((id) => {
    const placed = dots.get(id);
    const targetDots = targets[id] ?? null;
    const areaCm2 = areas[id] ?? null;
    const placedDots = placed?.count ?? 0;
    return {
      region: id,
      label: regionLabel(id, plan),
      targetDots,
      placedDots,
      percentOfTarget: percent(placedDots, targetDots),
      areaCm2: areaCm2 === null ? null : Math.round(areaCm2 * 10) / 10,
      densityPerCm2: areaCm2 ? Math.round((placedDots / areaCm2) * 10) / 10 : null,
      needles: Object.fromEntries([...(placed?.needles ?? new Map<number, number>())].sort(([a], [b]) => a - b).map(([n, count]) => [String(n), count])),
      plannedNeedles: plan?.[id]?.needles ?? null,
      dwellMs: placed?.dwellMs ?? null,
      cycles: placed?.cycles ?? null,
      overworkHints: overwork.get(id) ?? 0,
    };
  });
}

export function totalsOf(regions: readonly RegionResult[], flaggedInBreaks: number) {
  const placedDots = regions.reduce((sum, r) => sum + r.placedDots, 0);
  const planned = regions.filter((r) => r.targetDots !== null);
  const targetDots = planned.length > 0 ? planned.reduce((sum, r) => sum + r.targetDots!, 0) : null;
  return { placedDots, targetDots, percentOfTarget: percent(placedDots, targetDots), flaggedInBreaks };
}
