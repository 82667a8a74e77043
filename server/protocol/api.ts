/**
 * The HTTP API of protocol v1 (integrators, the simulator, the web app): request bodies and the
 * answers they get. Routes validate with these; clients parse with them.
 */
import { z } from 'zod';
import { regionId } from './v1.ts';

const name = (what: string) => z.string().trim().min(1, `a ${what} needs a name`).max(60);

export const newChairBody = z.object({ name: name('chair') });
export const newDeviceBody = z.object({ chairId: z.string().min(1, 'pick the chair this handpiece works at'), name: name('device') });
export const regionSelectionBody = z.object({ region: regionId });

/** The clinic's pseudonymous patient code. No spaces, so a name cannot slip in as "Jane Doe". */
export const patientRef = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'use the clinic\'s patient code (letters, digits, ".", "-", "_"; no names)');

export const newSessionBody = z.object({
  chairId: z.string().min(1, 'pick a chair'),
  /** The integration's own reference (admin token) or an active operator's id; a signed-in operator is the operator. */
  operatorId: z.string().trim().min(1, 'who is operating?').max(64).optional(),
  patientRef,
  planId: z.string().min(1).nullable().optional(),
});

export const handoverBody = z.object({
  /** Who takes over; a signed-in operator taking over their own chair leaves it out. */
  operatorId: z.string().trim().min(1, 'who takes over?').max(64).optional(),
});

export const chairSummary = z.object({
  id: z.string(),
  name: z.string(),
  selectedRegion: z.string().nullable(),
  createdAt: z.number(),
  devices: z.array(
    z.object({ id: z.string(), name: z.string(), fw: z.string().nullable(), online: z.boolean(), lastSeenAt: z.number().nullable() }),
  ),
  session: z
    .object({ id: z.string(), operatorId: z.string(), patientRef: z.string(), startedAt: z.number() })
    .nullable(),
});

export const createdChair = z.object({ id: z.string(), name: z.string(), createdAt: z.number() });
export const pairedDevice = z.object({
  id: z.string(),
  token: z.string(),
  chairId: z.string(),
  name: z.string(),
  /** SHA-256 of the clinic CA the handpiece pins for wss://; absent when the server speaks plain HTTP only. */
  caFingerprint: z.string().optional(),
});

export const sessionView = z.object({
  id: z.string(),
  chairId: z.string(),
  operatorId: z.string(),
  patientRef: z.string(),
  planId: z.string().nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  dots: z.object({ total: z.number(), byRegion: z.record(z.string(), z.number()) }),
});

export const apiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }),
});

export type ChairSummary = z.infer<typeof chairSummary>;
export type PairedDevice = z.infer<typeof pairedDevice>;
export type SessionView = z.infer<typeof sessionView>;
export type NewSessionBody = z.infer<typeof newSessionBody>;
