/**
 * Treatment plans: how densely, with which needles and pigment, each scalp region is to be
 * stippled in each session of a patient's treatment. The API validates with these schemas and the
 * plan editor shows their messages next to the fields they name.
 */
import { z } from 'zod';
import { isOnScalp } from '../scalp/regions.ts';
import { patientRef } from './api.ts';
import { TREATMENT_STATUSES } from './followup.ts';
import { isRegionId, STANDARD_REGIONS } from './v1.ts';

/** 1 mm between dot centres is the tightest spacing that still reads as separate dots. */
export const MAX_DENSITY_PER_CM2 = 100;
export const MAX_NEEDLES = 6;

export const SKIN_CONDITIONS = ['normal', 'atrophic', 'scar'] as const;
export type SkinCondition = (typeof SKIN_CONDITIONS)[number];

export const TEMPLATE_IDS = ['first', 'fill-in', 'refine'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** Follicular units on a full scalp (domain notes): a reference, not a target to copy. */
export const FOLLICULAR_REFERENCES = {
  caucasian: { label: 'Caucasian (≈50,000 follicular units)', units: 50_000 },
  asian: { label: 'Asian (≈40,000 follicular units)', units: 40_000 },
  african: { label: 'African (≈30,000 follicular units)', units: 30_000 },
} as const;
export type FollicularReference = keyof typeof FOLLICULAR_REFERENCES;
const referenceIds = Object.keys(FOLLICULAR_REFERENCES) as [FollicularReference, ...FollicularReference[]];

const point = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]);

const requiredNumber = (what: string) =>
  z.number({ error: (issue) => (issue.input === undefined || issue.input === null ? `${what} is missing` : `${what} must be a number`) });

export const planRegion = z.object({
  /** Shown on the map; scar regions are named by the clinic ("Strip scar"). */
  label: z.string().trim().max(40).optional(),
  areaCm2: requiredNumber('the area').positive('the area must be above 0 cm²').max(1000, 'an area above 1,000 cm² is not a scalp region'),
  skin: z.enum(SKIN_CONDITIONS, { error: 'skin is normal, atrophic or scar' }),
  density: requiredNumber('the density')
    .min(0, 'a density cannot be negative')
    .max(MAX_DENSITY_PER_CM2, `above ${MAX_DENSITY_PER_CM2} dots/cm², closer than 1 mm dot spacing allows`),
  needles: requiredNumber('the needle count').int('a whole number of needles').min(1, 'needles: 1 to 6').max(MAX_NEEDLES, 'needles: 1 to 6'),
  hue: z.string().trim().max(40, 'keep the pigment hue under 40 characters').default(''),
  note: z.string().trim().max(300, 'keep the note under 300 characters').default(''),
  /** A scar's outline on the normalised map (clockwise or not); standard regions have fixed outlines. */
  outline: z.array(point).min(3, 'an outline needs at least 3 points').max(32).optional(),
});
export type PlanRegion = z.infer<typeof planRegion>;

export const planBody = z
  .object({
    template: z.enum(TEMPLATE_IDS).nullable().default(null),
    regions: z.record(z.string(), planRegion),
  })
  .superRefine((plan, ctx) => {
    for (const id of STANDARD_REGIONS) {
      if (!plan.regions[id]) ctx.addIssue({ code: 'custom', path: ['regions', id], message: `the plan needs the ${id} region (density 0 to leave it out)` });
    }
    for (const [id, region] of Object.entries(plan.regions)) {
      const path = ['regions', id];
      if (!isRegionId(id)) ctx.addIssue({ code: 'custom', path, message: `${id} is not a region: use a standard one or scar-<slug>` });
      const scar = id.startsWith('scar-');
      if (scar && !region.outline) ctx.addIssue({ code: 'custom', path: [...path, 'outline'], message: 'a scar region needs its outline on the map' });
      if (!scar && region.outline) ctx.addIssue({ code: 'custom', path: [...path, 'outline'], message: 'standard regions have a fixed outline' });
      if (region.outline?.some(([x, y]) => !isOnScalp(x, y))) {
        ctx.addIssue({ code: 'custom', path: [...path, 'outline'], message: 'the scar outline goes outside the scalp' });
      }
    }
  });
export type PlanBody = z.infer<typeof planBody>;

export const newTreatmentBody = z.object({
  patientRef,
  sessions: z.number().int().min(2, 'a treatment has 2 to 4 sessions').max(4, 'a treatment has 2 to 4 sessions'),
  /** Scales the standard head's region areas: 1 is the template head (about 600 cm² of scalp). */
  headScale: z.number().min(0.6, 'head scale: 0.6 to 1.5').max(1.5, 'head scale: 0.6 to 1.5').default(1),
  reference: z.enum(referenceIds).default('caucasian'),
});
export type NewTreatmentBody = z.infer<typeof newTreatmentBody>;

export const planView = z.object({
  id: z.string(),
  treatmentId: z.string(),
  patientRef: z.string(),
  sessionNumber: z.number(),
  sessionsPlanned: z.number(),
  headScale: z.number(),
  reference: z.enum(referenceIds),
  template: z.enum(TEMPLATE_IDS).nullable(),
  regions: z.record(z.string(), planRegion),
  updatedAt: z.number(),
});
export type PlanView = z.infer<typeof planView>;

export const treatmentView = z.object({
  id: z.string(),
  patientRef: z.string(),
  sessions: z.number(),
  headScale: z.number(),
  reference: z.enum(referenceIds),
  createdAt: z.number(),
  /** Active until the clinic closes it (complete) or pauses it. */
  status: z.enum(TREATMENT_STATUSES),
  plans: z.array(planView),
});
export type TreatmentView = z.infer<typeof treatmentView>;
