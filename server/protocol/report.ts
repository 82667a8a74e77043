/**
 * The session record: what a finished (or running) session did, for the patient's file, the next
 * session and the day something is questioned. `GET /api/sessions/:id/report` answers `sessionReport`;
 * the export bundle (`export.json`) is `sessionExport`, versioned. docs/records.md shows both.
 */
import { z } from 'zod';
import { alarmView, alarmEvent } from './alarms.ts';
import { breakEvent } from './breaks.ts';
import { guidanceEvent } from './guidance.ts';
import { planRegion, treatmentView } from './plan.ts';

/** The middle and the spread of a quantity: median and the 25th–75th percentiles. */
export const spread = z.object({ median: z.number(), p25: z.number(), p75: z.number() }).nullable();
export type Spread = z.infer<typeof spread>;

export const regionResult = z.object({
  region: z.string(),
  label: z.string(),
  /** Null where the session followed no plan, or the plan leaves the region out. */
  targetDots: z.number().nullable(),
  placedDots: z.number(),
  /** Placed of target, in percent; null without a target. */
  percentOfTarget: z.number().nullable(),
  areaCm2: z.number().nullable(),
  /** Dots per cm² placed in this session. */
  densityPerCm2: z.number().nullable(),
  /** Dots per needle grouping used, "3" → 1,204. */
  needles: z.record(z.string(), z.number()),
  plannedNeedles: z.number().nullable(),
  dwellMs: spread,
  cycles: spread,
  overworkHints: z.number(),
});
export type RegionResult = z.infer<typeof regionResult>;

export const operatorSpan = z.object({ operatorId: z.string(), name: z.string(), from: z.number(), to: z.number().nullable() });

export const sessionReview = z.object({
  note: z.string(),
  signedOffBy: z.string().nullable(),
  signedOffAt: z.number().nullable(),
  updatedAt: z.number().nullable(),
});
export type SessionReview = z.infer<typeof sessionReview>;

export const sessionReport = z.object({
  session: z.object({
    id: z.string(),
    patientRef: z.string(),
    chairId: z.string(),
    chairName: z.string(),
    /** Who operated, and from when: more than one after a hand-over. */
    operators: z.array(operatorSpan),
    startedAt: z.number(),
    endedAt: z.number().nullable(),
    lengthMs: z.number(),
    /** Seconds the needle ran, from the handpiece's own telemetry, in ms. */
    needleMs: z.number(),
    planId: z.string().nullable(),
  }),
  plan: z
    .object({
      id: z.string(),
      treatmentId: z.string(),
      sessionNumber: z.number(),
      sessionsPlanned: z.number(),
      template: z.string().nullable(),
      regions: z.record(z.string(), planRegion),
    })
    .nullable(),
  totals: z.object({ placedDots: z.number(), targetDots: z.number().nullable(), percentOfTarget: z.number().nullable(), flaggedInBreaks: z.number() }),
  regions: z.array(regionResult),
  /** Dots per coverage-grid cell at the end, as [cell, dots]. */
  cells: z.array(z.tuple([z.number(), z.number()])),
  breaks: z.array(breakEvent),
  alarms: z.array(alarmView.extend({ events: z.array(alarmEvent) })),
  guidance: z.array(guidanceEvent),
  review: sessionReview,
});
export type SessionReport = z.infer<typeof sessionReport>;

/**
 * The cycle rate over the session, one row per second of telemetry, in columns: unix seconds,
 * lowest, mean and highest rate of that second, and whether the needle ran.
 */
export const cycleSeries = z.object({
  t: z.array(z.number()),
  min: z.array(z.number()),
  mean: z.array(z.number()),
  max: z.array(z.number()),
  running: z.array(z.number()),
});
export type CycleSeries = z.infer<typeof cycleSeries>;

/**
 * Every dot of the session, for the replay, in columns rather than one object a dot: ms since the
 * session's start, the grid cell (−1 without a position) and the index of its region in `regions`.
 */
export const replayDots = z.object({
  startedAt: z.number(),
  regions: z.array(z.string()),
  t: z.array(z.number()),
  cell: z.array(z.number()),
  region: z.array(z.number()),
});
export type ReplayDots = z.infer<typeof replayDots>;

export const noteBody = z.object({ note: z.string().trim().max(4000, 'keep the note under 4,000 characters') });

export const EXPORT_VERSION = 1;

export const sessionExport = sessionReport.omit({ cells: true }).extend({
  format: z.literal('stipple.session-export'),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.number(),
});
export type SessionExport = z.infer<typeof sessionExport>;

export const CSV_KINDS = ['dots', 'telemetry', 'breaks', 'alarms'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

/** One session of a treatment's timeline: its plan's place, and what happened. */
export const treatmentStep = z.object({
  planId: z.string(),
  sessionNumber: z.number(),
  state: z.enum(['planned', 'in-progress', 'done']),
  targetDots: z.number(),
  placedDots: z.number(),
  percentOfPlan: z.number().nullable(),
  sessions: z.array(
    z.object({
      id: z.string(), chairName: z.string(), operatorId: z.string(), operatorName: z.string(),
      startedAt: z.number(), endedAt: z.number().nullable(), dots: z.number(),
    }),
  ),
});

/**
 * A treatment as the clinic follows it (`GET /api/treatments/:id/record`): the sessions as a
 * timeline, and the whole treatment's coverage — every session of its plans against their sum.
 */
export const treatmentRecordView = z.object({
  treatment: treatmentView,
  steps: z.array(treatmentStep),
  cumulative: z.object({
    placedDots: z.number(),
    targetDots: z.number(),
    regions: z.array(z.object({ region: z.string(), label: z.string(), placedDots: z.number(), targetDots: z.number() })),
    cells: z.array(z.tuple([z.number(), z.number()])),
  }),
});
export type TreatmentRecordView = z.infer<typeof treatmentRecordView>;
