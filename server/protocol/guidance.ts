/**
 * Guidance from the plan: what the server noticed about the work, shown on the operator's tablet
 * and kept for the alarm rules. The settings say how far from the norm counts as overwork.
 */
import { z } from 'zod';

export const GUIDANCE_KINDS = ['needles', 'over-target', 'overwork'] as const;
export type GuidanceKind = (typeof GUIDANCE_KINDS)[number];

export const guidanceEvent = z.object({
  id: z.number(),
  sessionId: z.string(),
  chairId: z.string(),
  kind: z.enum(GUIDANCE_KINDS),
  region: z.string(),
  at: z.number(),
  message: z.string(),
});
export type GuidanceEvent = z.infer<typeof guidanceEvent>;

export const guidanceSettings = z.object({
  /** A dot whose dwell or cycles exceed this multiple of the operator's recent median is overwork. */
  overworkFactor: z.number().min(1.2, 'at least 1.2× the norm').max(10, 'at most 10× the norm'),
  /** How many recent dots make the norm, per operator and skin condition. */
  normWindow: z.number().int().min(20).max(2000),
  /** No overwork hint before the norm has this many dots. */
  minHistory: z.number().int().min(5).max(2000),
  /** At most one overwork hint per region in this long. */
  overworkCooldownMs: z.number().int().min(0).max(3_600_000),
});
export type GuidanceSettings = z.infer<typeof guidanceSettings>;

export const defaultGuidanceSettings: GuidanceSettings = {
  overworkFactor: 2,
  normWindow: 200,
  minHistory: 30,
  overworkCooldownMs: 60_000,
};
