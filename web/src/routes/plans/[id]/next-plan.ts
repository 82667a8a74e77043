import { GOAL_TOLERANCE } from '$plans/proposals';
import type { PlanRegion } from '$protocol/plan';
import type { Finding } from '$protocol/followup';
import type { PlanProposalsView, ProposalChanges, ProposalDecisions, ProposalKind } from '$protocol/proposals';

/** Pure helpers of the editor's "from the record" panel: when it shows, what a proposal changes, what a save reports. */

export type Verdict = 'accepted' | 'rejected';

/** A supervisor's decision on one region's proposal; `saved` once a plan save has carried it to the audit trail. */
export interface Decision {
  kind: ProposalKind;
  verdict: Verdict;
  saved: boolean;
}

/** The panel is for a session after the first, or for the first when a follow-up already has findings. */
export function showsRecord(view: PlanProposalsView): boolean {
  return view.sessionNumber > 1 || view.regions.some((r) => r.findings.length > 0);
}

/** How far toward the goal the earlier sessions came: reached within the tolerance, or over it (the painted-scalp risk). */
export function goalState(density: number, goal: number): 'under' | 'reached' | 'over' {
  if (goal <= 0) return density > 0 ? 'over' : 'under';
  if (density > goal * (1 + GOAL_TOLERANCE)) return 'over';
  return density >= goal * (1 - GOAL_TOLERANCE) ? 'reached' : 'under';
}

/** The share of the goal reached, 0 to 1, for the bar. */
export const goalShare = (density: number, goal: number): number => (goal > 0 ? Math.min(1, density / goal) : 0);

/** "Density 25 → 13", "Needles 3 → 2", "Pigment → charcoal, diluted": what Accept will do to the numbers and the hue. */
export function changeList(region: PlanRegion | undefined, changes: ProposalChanges): string[] {
  const list: string[] = [];
  if (changes.density !== undefined) list.push(`Density ${region?.density ?? '—'} → ${changes.density}`);
  if (changes.needles !== undefined) list.push(`Needles ${region?.needles ?? '—'} → ${changes.needles}`);
  if (changes.hue !== undefined) list.push(`Pigment → ${changes.hue}`);
  return list;
}

/** The words a proposal adds to the operator's note (proposals append to what the supervisor wrote). */
export function addedNote(region: PlanRegion | undefined, changes: ProposalChanges): string {
  if (changes.note === undefined) return '';
  const before = region?.note ?? '';
  return changes.note.startsWith(before) ? changes.note.slice(before.length).trim() : changes.note;
}

/** The decisions a save still has to report, or undefined when there are none (the body stays a plain plan). */
export function unsavedDecisions(decisions: Readonly<Record<string, Decision>>): ProposalDecisions | undefined {
  const open = Object.entries(decisions).filter(([, d]) => !d.saved);
  if (open.length === 0) return undefined;
  const of = (verdict: Verdict) => open.filter(([, d]) => d.verdict === verdict).map(([region, d]) => ({ region, kind: d.kind }));
  return { accepted: of('accepted'), rejected: of('rejected') };
}

/** How loud a finding is on the panel: bleeding and laser are the article's warnings. */
export const FINDING_TONE: Readonly<Record<Finding, 'bad' | 'warn' | 'ok'>> = {
  'healed-well': 'ok',
  faded: 'warn',
  bleeding: 'bad',
  'colour-shift': 'warn',
  irritation: 'warn',
  'needs-laser': 'bad',
};
