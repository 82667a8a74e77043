import { FINDING_LABEL, type Finding } from '../protocol/followup.ts';
import { MAX_DENSITY_PER_CM2, type FollicularReference, type PlanRegion, type TemplateId } from '../protocol/plan.ts';
import type { ProposalChanges, ProposalKind, RegionProposal } from '../protocol/proposals.ts';
import { templateRegion } from './templates.ts';

/**
 * The next plan from the record: per region, what the earlier sessions placed and what the last
 * follow-up saw turn into a proposed change to the plan being prepared. Pure: the route reads the
 * record, this decides. docs/treatments.md explains the rules to clinicians.
 *
 * Every rule scales the session's template values, not the plan's current ones, so a proposal that
 * was accepted and saved is not proposed again (halving the halved density).
 */

/** Half the dots over bleeding: blurred dots have spread already, wider spacing keeps new ones from joining the blot. */
export const BLEEDING_DENSITY_FACTOR = 0.5;
/** One needle fewer over bleeding: a smaller droplet per dot. */
export const BLEEDING_NEEDLE_STEP = 1;
/** Irritated skin gets three quarters of the dots: a lighter pass rather than a pause nobody asked for. */
export const IRRITATION_DENSITY_FACTOR = 0.75;
/** A faded region is taken to show about 30% fewer dots than were placed; the fill-in re-places that share. */
export const FADED_SHARE = 0.3;
/** Within 5% of the goal is reached: border dots make region counts inexact, and over-filling is the failure to avoid. */
export const GOAL_TOLERANCE = 0.05;
/** A handpiece holds at least one needle. */
const MIN_NEEDLES = 1;
const MAX_HUE = 40;
const MAX_NOTE = 300;

export interface FindingSeen {
  finding: Finding;
  /** A needs-laser finding that a supervisor has cleared. */
  laserCleared: boolean;
}

export interface RegionHistory {
  /** Dots placed in the treatment's earlier sessions, and the area they were stippled over. */
  placed: { dots: number; areaCm2: number };
  /** The treatment's goal for the region: the sum of its planned densities over all sessions (dots/cm², plan-math's summedRegions). */
  goalDensity: number;
  /** The region's findings at the latest follow-up visit that looked at it. */
  findings: readonly FindingSeen[];
}

export interface ProposalInput {
  /** The template this session's plan stands on: the base every rule scales. */
  template: TemplateId;
  reference: FollicularReference;
  /** The plan being prepared. */
  regions: Readonly<Record<string, PlanRegion>>;
  /** Per region of the plan; a region missing here has nothing placed, no findings and its own density as goal. */
  history: Readonly<Record<string, RegionHistory>>;
}

/** Dots per cm² placed so far; nothing placed on no area. */
export function reachedDensity(placed: RegionHistory['placed']): number {
  return placed.areaCm2 > 0 ? placed.dots / placed.areaCm2 : 0;
}

/** Whether the earlier sessions have placed the goal (less the tolerance); a region with no goal has none to reach. */
export function goalReached(showingDensity: number, goalDensity: number): boolean {
  return goalDensity > 0 && showingDensity >= goalDensity * (1 - GOAL_TOLERANCE);
}

const density = (n: number): number => Math.min(MAX_DENSITY_PER_CM2, Math.max(0, Math.round(n)));
const whole = (n: number): string => String(Math.round(n));

/** The hue with "diluted" added, within the hue field's 40 characters. */
function diluted(hue: string): string {
  if (/dilut/i.test(hue)) return hue;
  if (!hue) return 'diluted';
  return `${hue.slice(0, MAX_HUE - ', diluted'.length).trim()}, diluted`;
}

/**
 * The note with each addition it lacks. An addition that would take the note past its 300
 * characters is left out rather than cutting the supervisor's words: the reason shows it anyway.
 */
function withNotes(note: string, additions: readonly string[]): string {
  let result = note;
  for (const addition of additions) {
    if (result.includes(addition)) continue;
    const next = result ? `${result} ${addition}` : addition;
    if (next.length <= MAX_NOTE) result = next;
  }
  return result;
}

/** What each rule adds to the operator's note, short enough to read at the chair. */
const NOTE = {
  'hold-for-laser': 'Needs laser first: no work here until a supervisor clears it.',
  'goal-reached': 'Goal reached in earlier sessions: no new dots.',
  bleeding: 'Bled at follow-up: fewer, smaller, diluted dots; stay shallow.',
  lasered: 'Lasered after bleeding: gentle pass, stay shallow.',
  irritation: 'Irritation at follow-up: lighter pass; check the skin first.',
  'fill-in': 'Faded at follow-up: fill in between the healed dots.',
  'pigment-note': 'Colour shift at follow-up: match the pigment to the healed dots.',
} as const;

/** Only what differs from the plan: an empty result means the plan already says it. */
function changed(region: PlanRegion, wanted: Required<ProposalChanges>): ProposalChanges {
  const changes: ProposalChanges = {};
  if (wanted.density !== region.density) changes.density = wanted.density;
  if (wanted.needles !== region.needles) changes.needles = wanted.needles;
  if (wanted.hue !== region.hue) changes.hue = wanted.hue;
  if (wanted.note !== region.note) changes.note = wanted.note;
  return changes;
}

/** The proposal for one region of the plan, or null when the plan stands as it is. */
export function proposeRegion(
  id: string,
  region: PlanRegion,
  history: RegionHistory,
  base: { density: number; needles: number },
): RegionProposal | null {
  const seen = (finding: Finding) => history.findings.some((f) => f.finding === finding && !(finding === 'needs-laser' && f.laserCleared));
  const lasered = history.findings.some((f) => f.finding === 'needs-laser' && f.laserCleared);
  const bleeding = seen('bleeding') || lasered;
  const faded = seen('faded');
  const irritation = seen('irritation');
  const colourShift = seen('colour-shift');
  const reached = reachedDensity(history.placed);
  // Faded pigment shows fewer dots than the count says.
  const showing = faded ? reached * (1 - FADED_SHARE) : reached;
  const goal = history.goalDensity;
  const keep = { density: region.density, needles: region.needles, hue: region.hue, note: region.note };

  let kind: ProposalKind;
  let wanted: Required<ProposalChanges>;
  let why: string;
  const also: string[] = [];
  if (seen('needs-laser')) {
    kind = 'hold-for-laser';
    wanted = { ...keep, density: 0, note: withNotes(region.note, [NOTE['hold-for-laser']]) };
    why = `${FINDING_LABEL['needs-laser']}: no work here until a supervisor clears the finding, and the session is blocked until then.`;
  } else if (goalReached(showing, goal)) {
    kind = 'goal-reached';
    wanted = { ...keep, density: 0, note: withNotes(region.note, [NOTE['goal-reached']]) };
    why = `Earlier sessions reached ${whole(showing)} of the ${whole(goal)} dots/cm² goal${faded ? ' even allowing for fading' : ''}: more dots would start to paint the scalp.`;
  } else if (bleeding || irritation) {
    // Safety first: bleeding, then irritation, before any fill-in; a colour shift is noted on top.
    const notes: string[] = [...(bleeding ? [NOTE[lasered && !seen('bleeding') ? 'lasered' : 'bleeding']] : []), ...(irritation ? [NOTE.irritation] : [])];
    if (colourShift) notes.push(NOTE['pigment-note']);
    if (bleeding) {
      kind = 'gentler-pass';
      wanted = {
        density: Math.min(region.density, density(base.density * BLEEDING_DENSITY_FACTOR)),
        needles: Math.min(region.needles, Math.max(MIN_NEEDLES, base.needles - BLEEDING_NEEDLE_STEP)),
        hue: diluted(region.hue),
        note: withNotes(region.note, notes),
      };
      why = seen('bleeding')
        ? `${FINDING_LABEL.bleeding} at the follow-up: half the usual density and one needle fewer, in diluted pigment, so new dots stay apart instead of joining the blot.`
        : 'Lasered for spread pigment and cleared: half the usual density, one needle fewer, diluted pigment over the treated skin.';
      if (irritation) also.push('It was irritated too: check the skin before starting.');
    } else {
      kind = 'lighter-pass';
      wanted = { ...keep, density: Math.min(region.density, density(base.density * IRRITATION_DENSITY_FACTOR)), note: withNotes(region.note, notes) };
      why = `Irritation at the follow-up: a lighter pass at ${IRRITATION_DENSITY_FACTOR * 100}% of the session's usual density.`;
    }
    if (faded) also.push('It has faded as well: fill it in once the skin has settled, not in this pass.');
    if (colourShift) also.push('The colour shifted: review the pigment.');
  } else if (faded) {
    kind = 'fill-in';
    // Re-place the share that faded, never taking the region past the treatment's goal in one session.
    const fillIn = Math.min(base.density + FADED_SHARE * reached, goal - showing);
    wanted = {
      ...keep,
      density: Math.max(region.density, density(fillIn)),
      note: withNotes(region.note, [NOTE['fill-in'], ...(colourShift ? [NOTE['pigment-note']] : [])]),
    };
    why = `Faded at the follow-up: a fill-in pass toward the ${whole(goal)} dots/cm² goal (${whole(reached)} placed so far).`;
    if (colourShift) also.push('The colour shifted: review the pigment.');
  } else if (colourShift) {
    kind = 'pigment-note';
    wanted = { ...keep, note: withNotes(region.note, [NOTE['pigment-note']]) };
    why = 'Colour shift at the follow-up: a note on the pigment for the operator.';
  } else {
    return null;
  }

  const changes = changed(region, wanted);
  if (Object.keys(changes).length === 0) return null;
  return { region: id, kind, changes, reason: [why, ...also].join(' ') };
}

/** A proposal per region of the plan (null where the plan stands). */
export function proposePlan(input: ProposalInput): Record<string, RegionProposal | null> {
  const proposals: Record<string, RegionProposal | null> = {};
  for (const [id, region] of Object.entries(input.regions)) {
    const history = input.history[id] ?? { placed: { dots: 0, areaCm2: 0 }, goalDensity: region.density, findings: [] };
    const { density: baseDensity, needles } = templateRegion(input.template, input.reference, id, region.skin);
    proposals[id] = proposeRegion(id, region, history, { density: baseDensity, needles });
  }
  return proposals;
}
