/**
 * Alarms: one attention model for the supervisor and the operator, in the manner of medical
 * central stations (IEC 60601-1-8 priorities; acknowledged, silenced, latched states). docs/alarms.md
 * justifies each condition's priority.
 */
import { z } from 'zod';

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { high: 3, medium: 2, low: 1 };
/** Priority is never colour alone: each has a marker and a word. */
export const PRIORITY_MARK: Readonly<Record<Priority, string>> = { high: '!!!', medium: '!!', low: '!' };

export const CONDITIONS = {
  'cycle-out-of-band': { label: 'Cycle rate out of band', priority: 'high', category: 'clinical' },
  'break-violation': { label: 'Firing during a break', priority: 'high', category: 'clinical' },
  'device-offline': { label: 'Handpiece offline', priority: 'medium', category: 'clinical' },
  'device-silent': { label: 'Handpiece silent', priority: 'medium', category: 'clinical' },
  'needles-off-plan': { label: 'Needles differ from the plan', priority: 'medium', category: 'clinical' },
  'over-target': { label: 'Region over its target', priority: 'medium', category: 'clinical' },
  'postpone-limit': { label: 'Break postponed to the limit', priority: 'medium', category: 'clinical' },
  'break-overdue': { label: 'Break overdue', priority: 'low', category: 'clinical' },
  overwork: { label: 'Overwork hint', priority: 'low', category: 'clinical' },
  'battery-low': { label: 'Battery low', priority: 'low', category: 'clinical' },
  'seq-gap': { label: 'Messages lost by the device', priority: 'low', category: 'technical' },
  'refused-messages': { label: 'Device sends bad messages', priority: 'low', category: 'technical' },
  // Of the edge box itself (chairId BOX_SCOPE): server/alarms/box-conditions.ts.
  'backup-stale': { label: 'No recent good backup', priority: 'medium', category: 'technical' },
  'backup-dir-unusable': { label: 'Backup folder cannot take a backup', priority: 'medium', category: 'technical' },
  'disk-low': { label: 'Data disk nearly full', priority: 'medium', category: 'technical' },
} as const satisfies Record<string, { label: string; priority: Priority; category: 'clinical' | 'technical' }>;

export type Condition = keyof typeof CONDITIONS;

/** The `chairId` of the alarms of the edge box itself (backups, disk): no chair id looks like it. */
export const BOX_SCOPE = 'box';
export const CONDITION_IDS = Object.keys(CONDITIONS) as [Condition, ...Condition[]];

/** An alarm's life: raised while its condition holds; latched when it cleared unacknowledged (high only). */
export const ALARM_STATES = ['active', 'latched', 'closed'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export const alarmView = z.object({
  id: z.number(),
  chairId: z.string(),
  condition: z.enum(CONDITION_IDS),
  priority: z.enum(PRIORITIES),
  state: z.enum(ALARM_STATES),
  /** Whether the condition holds right now. */
  conditionActive: z.boolean(),
  detail: z.string(),
  operatorId: z.string().nullable(),
  raisedAt: z.number(),
  /** The last time the condition was seen again (a repeat updates the alarm, never adds one). */
  lastAt: z.number(),
  repeats: z.number(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.number().nullable(),
  silencedUntil: z.number().nullable(),
  /** An unacknowledged high alarm past the escalation delay: louder, and on top of every screen. */
  escalated: z.boolean(),
  closedAt: z.number().nullable(),
});
export type AlarmView = z.infer<typeof alarmView>;

export const ALARM_CHANGES = ['raised', 'repeated', 'condition-cleared', 'latched', 'acknowledged', 'silenced', 'escalated', 'closed'] as const;
export type AlarmChange = (typeof ALARM_CHANGES)[number];

export const alarmEvent = z.object({
  alarmId: z.number(),
  change: z.enum(ALARM_CHANGES),
  at: z.number(),
  by: z.string().nullable(),
  detail: z.string(),
});
export type AlarmEvent = z.infer<typeof alarmEvent>;

export const alarmSettings = z.object({
  /** High alarms beep on the operator's tablet; a clinic may turn it off. */
  audible: z.boolean(),
  /** An unacknowledged high alarm escalates after this long. */
  escalateAfterMs: z.number().int().min(10_000, 'escalate after at least 10 s').max(30 * 60_000, 'escalate after at most 30 min'),
  /** The longest a silence may last. */
  maxSilenceMs: z.number().int().min(60_000, 'a silence lasts at least 1 min').max(60 * 60_000, 'a silence lasts at most 60 min'),
});
export type AlarmSettings = z.infer<typeof alarmSettings>;
export const defaultAlarmSettings: AlarmSettings = { audible: true, escalateAfterMs: 60_000, maxSilenceMs: 10 * 60_000 };

export const silenceBody = z.object({ minutes: z.number().min(0.5, 'silence for at least half a minute').max(60, 'silence for at most an hour') });

export const alarmHistory = z.object({
  alarms: z.array(alarmView),
  /** Alarms raised per condition per day: what a clinic tunes nuisance alarms with. */
  perDay: z.array(z.object({ day: z.string(), condition: z.enum(CONDITION_IDS), count: z.number() })),
});
export type AlarmHistory = z.infer<typeof alarmHistory>;
