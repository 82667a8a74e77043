/**
 * Handpiece gateway protocol, version 1: the one place where its messages are defined.
 * The server, the device simulator and the web app import these schemas; nobody restates them.
 * docs/protocol.md explains them to integrators.
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
export const DEVICE_PATH = '/ws/device';
export const MAX_FRAME_BYTES = 64 * 1024;

export const CloseCode = {
  /** Frame bigger than MAX_FRAME_BYTES (sent by the ws library itself). */
  tooBig: 1009,
  binaryFrame: 1003,
  /** The server could not store what it received; reconnect and resend. */
  serverError: 1011,
  serverShutdown: 1001,
  unauthorized: 4401,
  /** A newer socket of the same device took over. */
  replaced: 4409,
} as const;

export const ErrorCode = {
  unauthorized: 'unauthorized',
  invalid: 'invalid',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const STANDARD_REGIONS = [
  'hairline',
  'frontal',
  'midscalp',
  'crown',
  'temporal-left',
  'temporal-right',
  'parietal-left',
  'parietal-right',
  'occipital',
] as const;
export type StandardRegion = (typeof STANDARD_REGIONS)[number];

/** Where a dot goes when neither the device nor the operator named a region. */
export const UNASSIGNED_REGION = 'unassigned';

const SCAR_REGION = /^scar-[a-z0-9][a-z0-9-]{0,58}$/;
const standardRegionSet: ReadonlySet<string> = new Set(STANDARD_REGIONS);

export function isRegionId(value: string): boolean {
  return standardRegionSet.has(value) || SCAR_REGION.test(value);
}

export const regionId = z.string().refine(isRegionId, {
  message: `unknown region: use one of ${STANDARD_REGIONS.join(', ')} or scar-<slug>`,
});
export type RegionId = z.infer<typeof regionId>;

const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const epochMs = z.number().min(0).max(8.64e15);
const needles = z.number().int().min(1).max(6);
const unit = z.number().min(0).max(1);

// ---- device → server -------------------------------------------------------------------------

export const helloMessage = z.object({
  type: z.literal('hello'),
  v: z.literal(PROTOCOL_VERSION),
  deviceId: z.string().min(1).max(64),
  token: z.string().min(1).max(256),
  fw: z.string().max(64).optional(),
});

export const telMessage = z.object({
  type: z.literal('tel'),
  seq,
  ts: epochMs,
  cycleHz: z.number().min(0).max(1000),
  needles,
  running: z.boolean(),
  batteryPct: z.number().min(0).max(100).optional(),
});

export const dotMessage = z
  .object({
    type: z.literal('dot'),
    seq,
    ts: epochMs,
    region: regionId.optional(),
    x: unit.optional(),
    y: unit.optional(),
    cycles: z.number().int().min(1).max(1_000_000),
    dwellMs: z.number().min(1).max(600_000),
    needles,
  })
  .refine((dot) => (dot.x === undefined) === (dot.y === undefined), {
    message: 'x and y come together: send both or neither',
    path: ['x'],
  });

/** Every message a device may send after its hello; each carries a seq. */
export const deviceDataMessage = z.discriminatedUnion('type', [telMessage, dotMessage]);
export const deviceMessage = z.discriminatedUnion('type', [helloMessage, telMessage, dotMessage]);

export type HelloMessage = z.infer<typeof helloMessage>;
export type TelMessage = z.infer<typeof telMessage>;
export type DotMessage = z.infer<typeof dotMessage>;
export type DeviceDataMessage = z.infer<typeof deviceDataMessage>;
export type DeviceMessage = z.infer<typeof deviceMessage>;

// ---- server → device -------------------------------------------------------------------------

export const InhibitReason = {
  break: 'break',
  sessionEnded: 'session-ended',
  supervisor: 'supervisor',
} as const;
export type InhibitReason = (typeof InhibitReason)[keyof typeof InhibitReason];

export const welcomeMessage = z.object({
  type: z.literal('welcome'),
  v: z.literal(PROTOCOL_VERSION),
  chairId: z.string().nullable(),
  sessionId: z.string().nullable(),
  ackedSeq: z.number().int().min(0),
});
export const ackMessage = z.object({ type: z.literal('ack'), seq: z.number().int().min(0) });
export const inhibitMessage = z.object({
  type: z.literal('inhibit'),
  reason: z.enum([InhibitReason.break, InhibitReason.sessionEnded, InhibitReason.supervisor]),
  until: epochMs.optional(),
});
export const releaseMessage = z.object({ type: z.literal('release') });
export const regionMessage = z.object({ type: z.literal('region'), region: regionId });
export const errorMessage = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  seq: seq.optional(),
});

export const serverMessage = z.discriminatedUnion('type', [
  welcomeMessage,
  ackMessage,
  inhibitMessage,
  releaseMessage,
  regionMessage,
  errorMessage,
]);

export type WelcomeMessage = z.infer<typeof welcomeMessage>;
export type InhibitMessage = z.infer<typeof inhibitMessage>;
export type ServerMessage = z.infer<typeof serverMessage>;
