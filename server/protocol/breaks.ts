/**
 * Fatigue breaks: the clinic's break policy, what the server tells screens about an operator's
 * breaks, and the break log. docs/breaks.md explains the defaults.
 */
import { z } from 'zod';
import { FATIGUE_RESPONSES } from './outlook.ts';

const MINUTE = 60_000;
const minutes = (min: number, max: number, what: string) =>
  z.number().int().min(min * MINUTE, `${what}: at least ${min} min`).max(max * MINUTE, `${what}: at most ${max} min`);

export const breakPolicy = z
  .object({
    /** A short pause after this much needle work since the last pause or break. */
    microEveryMs: minutes(5, 120, 'micro-pause interval'),
    microDurationMs: z.number().int().min(15_000, 'a micro-pause lasts at least 15 s').max(15 * MINUTE, 'a micro-pause lasts at most 15 min'),
    /** A rest break after this much needle work since the last rest. */
    restEveryMs: minutes(30, 240, 'rest interval'),
    restDurationMs: minutes(3, 60, 'rest break'),
    /** Needle time an operator may put in per day, across chairs. */
    dailyNeedleMs: minutes(60, 12 * 60, 'daily needle time'),
    /** No session runs longer than this. */
    maxSessionMs: minutes(60, 12 * 60, 'session length'),
    /** Warnings before a break is due, in needle time left. */
    warnBeforeMs: z
      .array(z.number().int().min(10_000, 'warn at least 10 s before').max(30 * MINUTE, 'warn at most 30 min before'))
      .max(4, 'at most 4 warnings'),
    /** The first postpone of a break; each further one of the same break lasts half as long. */
    postponeMs: minutes(1, 30, 'postpone'),
    maxPostpones: z.number().int().min(0, 'postpones: 0 to 5').max(5, 'postpones: 0 to 5'),
    /** Signs of fatigue read from the work (docs/fatigue.md): off, a hint, or the next micro-pause brought forward. */
    fatigueResponse: z.enum(FATIGUE_RESPONSES).default('hint'),
  })
  .superRefine((p, ctx) => {
    if (p.restEveryMs <= p.microEveryMs) ctx.addIssue({ code: 'custom', path: ['restEveryMs'], message: 'rest breaks come less often than micro-pauses' });
    if (p.restDurationMs <= p.microDurationMs) ctx.addIssue({ code: 'custom', path: ['restDurationMs'], message: 'a rest break is longer than a micro-pause' });
  });
export type BreakPolicy = z.infer<typeof breakPolicy>;

export const defaultBreakPolicy: BreakPolicy = {
  microEveryMs: 25 * MINUTE,
  microDurationMs: 2 * MINUTE,
  restEveryMs: 90 * MINUTE,
  restDurationMs: 10 * MINUTE,
  dailyNeedleMs: 6 * 60 * MINUTE,
  maxSessionMs: 8 * 60 * MINUTE,
  warnBeforeMs: [5 * MINUTE, MINUTE],
  postponeMs: 5 * MINUTE,
  maxPostpones: 2,
  fatigueResponse: 'hint',
};

/** Breaks the handpiece enforces; `daily` and `session` are limits, lifted by a new day, a new session or the supervisor. */
export const BREAK_KINDS = ['micro', 'rest', 'daily', 'session'] as const;
export type BreakKind = (typeof BREAK_KINDS)[number];

export const BREAK_LABEL: Readonly<Record<BreakKind, string>> = {
  micro: 'Micro-pause',
  rest: 'Rest break',
  daily: 'Daily needle limit',
  session: 'Session length limit',
};

/** One operator's breaks as the screens show them. */
export const fatigueView = z.object({
  operatorId: z.string(),
  /** working: needle time counts towards the next break; on-break: the handpiece is inhibited. */
  state: z.enum(['working', 'on-break']),
  /** The break in force, with when it ends (null: until the supervisor lifts it or the session ends). */
  current: z
    .object({ kind: z.enum(BREAK_KINDS), startedAt: z.number(), until: z.number().nullable(), /** Dots made during it. */ violations: z.number() })
    .nullable(),
  /** The next break and how much needle time is left before it (or, postponed, the moment it is due). */
  next: z.object({ kind: z.enum(BREAK_KINDS), workLeftMs: z.number().nullable(), dueAt: z.number().nullable() }).nullable(),
  /** A warning has been given for the next break. */
  warned: z.boolean(),
  postponesLeft: z.number(),
  postponedToday: z.number(),
  violationsToday: z.number(),
  needleMsToday: z.number(),
});
export type FatigueView = z.infer<typeof fatigueView>;

export const BREAK_EVENTS = ['warning', 'break', 'served', 'natural', 'postponed', 'override', 'violation', 'limit-lifted'] as const;
export type BreakEventType = (typeof BREAK_EVENTS)[number];

export const breakEvent = z.object({
  id: z.number(),
  operatorId: z.string(),
  chairId: z.string().nullable(),
  type: z.enum(BREAK_EVENTS),
  kind: z.enum(BREAK_KINDS),
  at: z.number(),
  /** A break's end, a warning's lead, a postpone's length, a natural pause's length. */
  ms: z.number().nullable(),
  detail: z.string(),
});
export type BreakEvent = z.infer<typeof breakEvent>;

export const overrideBody = z.object({ reason: z.string().trim().min(5, 'write why the break is lifted (5 characters at least)').max(300) });

export const operatorHistory = z.object({
  operatorId: z.string(),
  days: z.array(z.object({ day: z.string(), needleMs: z.number() })),
  events: z.array(breakEvent),
  now: fatigueView.nullable(),
});
export type OperatorHistory = z.infer<typeof operatorHistory>;
