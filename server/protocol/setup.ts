/**
 * A clinic's first run: its name, and the setup checklist an admin sees on the wall until every
 * step is done or an admin dismisses it. The server works each step out from the clinic's real
 * state, so a step ticks itself whichever page (or script) did the work.
 */
import { z } from 'zod';

/** `PUT /api/clinic` (admins). */
export const clinicProfile = z.object({
  name: z.string().trim().min(1, 'the clinic needs a name').max(80, 'at most 80 characters'),
});
export type ClinicProfile = z.infer<typeof clinicProfile>;

/** `GET /api/clinic`: the name the wall shows, null until an admin names the clinic. */
export const clinicView = z.object({ name: z.string().nullable() });

export const SETUP_STEPS = ['clinic', 'chairs', 'handpieces', 'people', 'breaks', 'alarms'] as const;
export type SetupStepId = (typeof SETUP_STEPS)[number];

/** Settings whose review is a step: saving them, changed or as they are, is the review. */
export const REVIEWED_SETTINGS = ['breaks', 'alarms'] as const satisfies readonly SetupStepId[];
export type ReviewedSetting = (typeof REVIEWED_SETTINGS)[number];

export const setupStep = z.object({
  id: z.enum(SETUP_STEPS),
  done: z.boolean(),
  /** The state behind the tick, in words: "Chair 2 has no handpiece". */
  detail: z.string(),
});
export type SetupStep = z.infer<typeof setupStep>;

/** `GET /api/setup/checklist` (admins). */
export const setupChecklist = z.object({
  steps: z.array(setupStep),
  /**
   * Why the wall no longer shows it, null while it stands: every step was done (once is enough, so
   * a chair added a year later brings no first-run checklist back), or an admin dismissed it.
   */
  closed: z.enum(['complete', 'dismissed']).nullable(),
});
export type SetupChecklist = z.infer<typeof setupChecklist>;
