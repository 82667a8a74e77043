/**
 * Between sessions: what the clinic saw at a follow-up visit, region by region, with photos, and
 * the status of a treatment. The API validates with these schemas; the tablet and the desk show them.
 */
import { z } from 'zod';
import { regionId } from './v1.ts';

/** What a region can show weeks after a session (the clinical article's follow-through). */
export const FINDINGS = ['healed-well', 'faded', 'bleeding', 'colour-shift', 'irritation', 'needs-laser'] as const;
export type Finding = (typeof FINDINGS)[number];

export const FINDING_LABEL: Readonly<Record<Finding, string>> = {
  'healed-well': 'Healed well',
  faded: 'Faded',
  bleeding: 'Pigment bleeding / blurring',
  'colour-shift': 'Colour shift',
  irritation: 'Irritation',
  'needs-laser': 'Needs laser before the next session',
};

/** Which way a photo looks at the head. */
export const PHOTO_VIEWS = ['top', 'front', 'back', 'left', 'right'] as const;
export type PhotoView = (typeof PHOTO_VIEWS)[number];

export const TREATMENT_STATUSES = ['active', 'paused', 'complete'] as const;
export type TreatmentStatus = (typeof TREATMENT_STATUSES)[number];

export const regionFinding = z.object({
  region: regionId,
  finding: z.enum(FINDINGS, { error: `a finding is one of: ${FINDINGS.join(', ')}` }),
  note: z.string().trim().max(300, 'keep the note under 300 characters').default(''),
});
export type RegionFinding = z.infer<typeof regionFinding>;

export const newVisitBody = z.object({
  /** When the visit took place (ms); the server's now when left out. */
  visitedAt: z.number().int().positive().optional(),
  note: z.string().trim().max(2000, 'keep the note under 2,000 characters').default(''),
  findings: z.array(regionFinding).max(100),
});
export type NewVisitBody = z.infer<typeof newVisitBody>;

export const photoView = z.object({
  id: z.string(),
  visitId: z.string(),
  region: z.string(),
  view: z.enum(PHOTO_VIEWS),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
  createdAt: z.number(),
});
export type PhotoViewModel = z.infer<typeof photoView>;

export const visitView = z.object({
  id: z.string(),
  treatmentId: z.string(),
  visitedAt: z.number(),
  recordedBy: z.string(),
  note: z.string(),
  findings: z.array(regionFinding),
  photos: z.array(photoView),
});
export type VisitView = z.infer<typeof visitView>;

export const statusBody = z.object({ status: z.enum(TREATMENT_STATUSES) });

export const clearanceBody = z.object({ reason: z.string().trim().min(5, 'write why the laser finding is cleared (5 characters at least)').max(300) });

export const laserClearanceView = z.object({
  visitId: z.string(),
  clearedBy: z.string(),
  reason: z.string(),
  clearedAt: z.number(),
});
export type LaserClearanceView = z.infer<typeof laserClearanceView>;

/** A "needs laser" finding at the treatment's latest visit that no one has cleared: no next session until it is. */
export const laserBlockView = z.object({
  /** The visits whose "needs laser" findings wait for a clearance (one clearance covers them all). */
  visitIds: z.array(z.string()),
  /** The newest of them. */
  visitedAt: z.number(),
  regions: z.array(z.string()),
});
export type LaserBlockView = z.infer<typeof laserBlockView>;

/** A region's findings at the newest visit that looked at it. */
export const latestRegionFindings = z.object({
  visitId: z.string(),
  visitedAt: z.number(),
  findings: z.array(regionFinding),
});
export type LatestRegionFindings = z.infer<typeof latestRegionFindings>;

/** `GET /api/treatments/:id/visits`: the visits newest first, each region's latest findings, the laser state. */
export const treatmentFollowups = z.object({
  visits: z.array(visitView),
  latest: z.record(z.string(), latestRegionFindings),
  clearances: z.array(laserClearanceView),
  laserBlock: laserBlockView.nullable(),
});
export type TreatmentFollowups = z.infer<typeof treatmentFollowups>;
