/**
 * Looking ahead, per open session: when its plan will be done at the operator's recent pace, and
 * whether the work itself shows signs of fatigue. docs/fatigue.md explains both.
 */
import { z } from 'zod';

/** What the clinic does with signs of fatigue: nothing, a hint on the tablet and the wall, or the next micro-pause now. */
export const FATIGUE_RESPONSES = ['off', 'hint', 'break'] as const;
export type FatigueResponse = (typeof FATIGUE_RESPONSES)[number];

export const FATIGUE_RESPONSE_LABEL: Readonly<Record<FatigueResponse, string>> = {
  off: 'Off: not shown',
  hint: 'Hint on the tablet and the wall',
  break: 'Bring the next micro-pause forward',
};

export const paceForecast = z.object({
  /** The regions still to do, in the order they are expected to be worked. */
  regions: z.array(z.object({ region: z.string(), dots: z.number(), /** Working time, breaks apart. */ workMs: z.number(), doneAt: z.number() })),
  finishAt: z.number(),
  /** The 5th–95th percentile of the finish. */
  earliest: z.number(),
  latest: z.number(),
  /** What stops the plan before it is done: the session's length or the day's needle time. */
  limit: z.enum(['session', 'day']).nullable(),
  /** When that limit stops the work. */
  limitAt: z.number().nullable(),
  /** The regions that would be left for the next session. */
  leftOver: z.array(z.string()),
});
export type PaceForecastView = z.infer<typeof paceForecast>;

export const fatigueSign = z.object({
  /** The reading of the work against the operator's baseline; ≥ 4 reads as fatigue. */
  index: z.number(),
  /** Whether the reading shows signs of fatigue (and the clinic wants to know). */
  shown: z.boolean(),
  /** The feature that moved most towards fatigue, e.g. dwell variability +45 %. */
  strongest: z.object({ label: z.string(), change: z.number() }).nullable(),
  /** What the work is compared with: this session's first hour, or the operator's earlier sessions. */
  against: z.enum(['first-hour', 'earlier-sessions']),
  /** Since when the signs show. */
  since: z.number().nullable(),
});
export type FatigueSign = z.infer<typeof fatigueSign>;

/** What changed, by how much: "dwell variability +45 %" — in the hint, and in the log of a break it brought forward. */
export function fatigueSignText(sign: Pick<FatigueSign, 'strongest'>): string {
  if (!sign.strongest) return 'the work has changed';
  const { label, change } = sign.strongest;
  return `${label} ${change >= 0 ? '+' : '−'}${Math.round(Math.abs(change) * 100)} %`;
}

export const outlookView = z.object({
  /** When it was worked out (server clock). */
  at: z.number(),
  /** Null before there is pace to go on, or without a plan. */
  forecast: paceForecast.nullable(),
  /** Null until there is a baseline to compare with, or with the clinic's response off. */
  fatigue: fatigueSign.nullable(),
});
export type OutlookView = z.infer<typeof outlookView>;
