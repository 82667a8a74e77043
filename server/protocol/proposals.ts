/**
 * The next plan from the record: what a treatment's earlier sessions placed per region, the latest
 * follow-up findings, and the changes proposed for the plan being prepared. The API answers with
 * these schemas; the plan editor parses with them and sends back which proposals it took.
 */
import { z } from 'zod';
import { regionFinding } from './followup.ts';
import { planBody, planRegion } from './plan.ts';
import { regionId } from './v1.ts';

/** What a proposal does to a region, safest first: the order in which the rules are tried. */
export const PROPOSAL_KINDS = ['hold-for-laser', 'goal-reached', 'gentler-pass', 'lighter-pass', 'fill-in', 'pigment-note'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const PROPOSAL_LABEL: Readonly<Record<ProposalKind, string>> = {
  'hold-for-laser': 'No work until the laser finding is cleared',
  'goal-reached': 'Goal reached: no new dots',
  'gentler-pass': 'Gentler pass for bleeding',
  'lighter-pass': 'Lighter pass for irritation',
  'fill-in': 'Fill-in pass',
  'pigment-note': 'Pigment note',
};

/**
 * The fields a proposal may change; what belongs to the patient (area, skin, outline) it leaves
 * alone. No defaults here (unlike the plan's hue and note): a field left out must stay left out, or
 * accepting would blank it.
 */
export const proposalChanges = z.object({
  density: planRegion.shape.density.optional(),
  needles: planRegion.shape.needles.optional(),
  hue: z.string().max(40).optional(),
  note: z.string().max(300).optional(),
});
export type ProposalChanges = z.infer<typeof proposalChanges>;

export const regionProposal = z.object({
  region: z.string(),
  kind: z.enum(PROPOSAL_KINDS),
  changes: proposalChanges,
  /** Why, in plain words, with the numbers. */
  reason: z.string(),
});
export type RegionProposal = z.infer<typeof regionProposal>;

/** A region's finding at the most recent visit that looked at that region. */
export const latestFinding = regionFinding.extend({
  visitId: z.string(),
  visitedAt: z.number(),
  /** A needs-laser finding a supervisor has cleared (always false for the other findings). */
  laserCleared: z.boolean(),
});
export type LatestFinding = z.infer<typeof latestFinding>;

export const regionRecord = z.object({
  region: z.string(),
  placed: z.object({
    /** Dots placed in the treatment's earlier sessions. */
    dots: z.number(),
    /** The area they were stippled over: the region's area in this plan, less any scar on it. */
    areaCm2: z.number(),
    /** dots / areaCm2. */
    density: z.number(),
    /** The treatment's goal: the sum of the planned densities of all its sessions, this one included. */
    goalDensity: z.number(),
  }),
  findings: z.array(latestFinding),
  proposal: regionProposal.nullable(),
});
export type RegionRecord = z.infer<typeof regionRecord>;

export const planProposalsView = z.object({
  planId: z.string(),
  treatmentId: z.string(),
  sessionNumber: z.number(),
  /** Sessions run for the treatment's earlier plans. */
  earlierSessions: z.number(),
  /** A needs-laser finding nobody has cleared: the session waits for a supervisor's clearance. */
  blocked: z.boolean(),
  regions: z.array(regionRecord),
});
export type PlanProposalsView = z.infer<typeof planProposalsView>;

const decision = z.object({ region: regionId, kind: z.enum(PROPOSAL_KINDS) });
export const proposalDecisions = z.object({
  accepted: z.array(decision).max(200),
  rejected: z.array(decision).max(200),
});
export type ProposalDecisions = z.infer<typeof proposalDecisions>;

/**
 * A plan save: the plan itself as `planBody` has it, and which proposals the supervisor accepted
 * and rejected since the last save, so the one audit entry of the save records them.
 */
export const planSaveBody = z.intersection(planBody, z.object({ proposals: proposalDecisions.optional() }));
