import { coverageLevel, ON_TARGET, type CoverageLevel } from '$coverage/levels';
import { PRIORITY_RANK, type AlarmView } from '$protocol/alarms';
import { CYCLE_BAND_HZ, type LiveChair, type LivePlan } from '$protocol/live';
import { regionTargets, summedRegions } from '$plans/plan-math';
import type { PlanRegion } from '$protocol/plan';
import { SCALP_REGIONS } from '$scalp/regions';

/**
 * A chair's open alarms, the one that needs a person most first: higher priority, then escalated,
 * then still unacknowledged, then the older.
 */
export function openAlarms(chair: LiveChair): AlarmView[] {
  return [...chair.alarms].sort(
    (a, b) =>
      PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] ||
      Number(b.escalated) - Number(a.escalated) ||
      Number(a.acknowledgedAt !== null) - Number(b.acknowledgedAt !== null) ||
      a.raisedAt - b.raisedAt,
  );
}

/** The wall's order: chairs by their highest open alarm, then those in session, then by name. */
export function byAttention(a: LiveChair, b: LiveChair): number {
  const rank = (c: LiveChair) => {
    const top = openAlarms(c)[0];
    return top ? 10 + PRIORITY_RANK[top.priority] + (top.escalated ? 5 : 0) : c.session ? 1 : 0;
  };
  return rank(b) - rank(a) || a.name.localeCompare(b.name, undefined, { numeric: true });
}

export const STATE_LABEL: Record<LiveChair['state'], string> = {
  idle: 'Idle',
  'in-session': 'In session',
  running: 'Needle running',
  offline: 'Device offline',
};

export function bandText(): string {
  return `${CYCLE_BAND_HZ.min}–${CYCLE_BAND_HZ.max} Hz`;
}

/** How far a region has come: its level, and the depth of its colour under target (its fill's opacity). */
export interface RegionCoverage {
  level: CoverageLevel;
  shade: number;
}

/**
 * Under target a region deepens as it fills, in twenty steps an eye can tell apart: finer, every
 * dot would change the map for a difference nobody sees.
 */
const SHADES = 20;
const underShade = (ratio: number) => 0.25 + (0.75 * Math.round(SHADES * Math.min(1, ratio / ON_TARGET.min))) / SHADES;

/** `next`, or the coverage already `shown` when every region looks the same in both: the map then has nothing to redraw. */
export function sameLookOr(shown: Readonly<Record<string, RegionCoverage>>, next: Record<string, RegionCoverage>): Readonly<Record<string, RegionCoverage>> {
  const ids = Object.keys(next);
  const same = ids.length === Object.keys(shown).length && ids.every((id) => shown[id]?.level === next[id]!.level && shown[id]?.shade === next[id]!.shade);
  return same ? shown : next;
}

/** A scar region as the scalp map draws it. */
export interface MapScar {
  id: string;
  label?: string | undefined;
  outline: ReadonlyArray<readonly [number, number]>;
}

type LiveSession = NonNullable<LiveChair['session']>;

/** Each region's level and depth of colour, from its target and the dots it holds: what the map's fills show. */
export function regionLevels(targets: Readonly<Record<string, number>>, done: (region: string) => number): Record<string, RegionCoverage> {
  const coverage: Record<string, RegionCoverage> = {};
  for (const [id, target] of Object.entries(targets)) {
    const n = done(id);
    const level = coverageLevel(n, target);
    coverage[id] = { level, shade: level === 'under' ? underShade(target > 0 ? n / target : 0) : 1 };
  }
  return coverage;
}

const targetsOf = (plan: LivePlan) => Object.fromEntries(Object.entries(plan.regions).map(([id, r]) => [id, r.target]));

/** Each planned region's coverage this session, for the map's fills. */
export function regionCoverage(session: LiveSession | null, plan: LivePlan | undefined): Record<string, RegionCoverage> {
  if (!session || !plan) return {};
  return regionLevels(targetsOf(plan), (id) => session.dots.byRegion[id] ?? 0);
}

/** Each region's coverage over the whole treatment: the patient's earlier sessions and this one, against the plans' sum. */
export function wholeCoverage(session: LiveSession | null, whole: LivePlan | null): Record<string, RegionCoverage> {
  if (!session || !whole) return {};
  return regionLevels(targetsOf(whole), (id) => (session.dots.byRegion[id] ?? 0) + (session.dotsBefore[id] ?? 0));
}

/** A plan's regions as the map and the heat layer read them, each with its target dots. */
export function mapPlan(id: string, sessionNumber: number, sessionsPlanned: number, regions: Readonly<Record<string, PlanRegion>>): LivePlan {
  const targets = regionTargets(regions);
  return {
    id, updatedAt: 0, sessionNumber, sessionsPlanned,
    regions: Object.fromEntries(Object.entries(regions).map(([region, r]) => [region, { ...r, target: targets[region] ?? 0 }])),
  };
}

/** A whole treatment as one plan for the map: every region against the sum of its sessions' plans. */
export function wholeTreatmentPlan(treatment: { id: string; sessions: number; plans: ReadonlyArray<{ regions: Record<string, PlanRegion> }> }): LivePlan {
  return mapPlan(treatment.id, 0, treatment.sessions, summedRegions(treatment.plans.map((p) => p.regions)));
}

/** The plan's scar regions, as the map draws them. */
export function scarsOf(plan: LivePlan | undefined): MapScar[] {
  return Object.entries(plan?.regions ?? {}).flatMap(([id, r]) => (r.outline ? [{ id, label: r.label, outline: r.outline }] : []));
}

/** A region's name as people say it: the map's label, or a scar's own. */
export function regionLabel(id: string, plan: LivePlan | undefined): string {
  return plan?.regions[id]?.label || SCALP_REGIONS.find((r) => r.id === id)?.label || id;
}

/** The plan's target dots over all regions, or null without a plan. */
export function planTarget(plan: LivePlan | undefined): number | null {
  return plan ? Object.values(plan.regions).reduce((sum, r) => sum + r.target, 0) : null;
}

/** What a chair's cycle-rate figure shows: the rate now, or the one the needle last ran at, and when. */
export interface NeedleRate {
  hz: number;
  /** When the sample was made, on the server's clock. */
  at: number;
  running: boolean;
}

/**
 * The rate now while the needle runs; once it stops, the rate it last ran at in this session (shown
 * greyed, with its age), so a stopped needle does not read as a blank; null if it has not run yet.
 */
export function needleRate(chair: LiveChair): NeedleRate | null {
  if (chair.state === 'running' && chair.sample) return { hz: chair.sample.cycleHz, at: chair.sample.at, running: true };
  const last = chair.lastRunning;
  if (!last || !chair.session || last.at < chair.session.startedAt) return null;
  return { hz: last.cycleHz, at: last.at, running: false };
}

/** The share of the plan done: this session's dots over the plan's target dots, or null without a plan. */
export function planDone(session: LiveSession | null, plan: LivePlan | undefined): number | null {
  const target = planTarget(plan);
  return session && target ? session.dots.total / target : null;
}
