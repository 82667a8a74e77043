/**
 * The live channel between the edge server and browsers (`/ws/live`): a client subscribes to one
 * chair or to all, gets a snapshot, then coalesced updates. The web app imports these types.
 */
import { z } from 'zod';
import { alarmView } from './alarms.ts';
import { fatigueView } from './breaks.ts';
import { guidanceEvent } from './guidance.ts';
import { outlookView } from './outlook.ts';
import { planRegion } from './plan.ts';

export const LIVE_PATH = '/ws/live';

/** Why the server closed a live socket. */
export const LiveCloseCode = {
  /** The browser session it was opened with ended (signed out, disabled, expired): sign in again. */
  sessionEnded: 4401,
} as const;

export const liveClientMessage = z.discriminatedUnion('scope', [
  z.object({ type: z.literal('subscribe'), scope: z.literal('all') }),
  z.object({ type: z.literal('subscribe'), scope: z.literal('chair'), chairId: z.string().min(1) }),
]);
export type LiveClientMessage = z.infer<typeof liveClientMessage>;

/**
 * The plan a session follows, as the tablet and the wall need it: targets already worked out. It
 * travels on its own, when a browser first needs it or it changes, not with every chair update.
 */
export const livePlan = z.object({
  id: z.string(),
  updatedAt: z.number(),
  sessionNumber: z.number(),
  sessionsPlanned: z.number(),
  regions: z.record(z.string(), planRegion.extend({ target: z.number() })),
});
export type LivePlan = z.infer<typeof livePlan>;

export const chairState = z.enum(['idle', 'in-session', 'running', 'offline']);
export type ChairState = z.infer<typeof chairState>;

export const liveChair = z.object({
  id: z.string(),
  name: z.string(),
  state: chairState,
  selectedRegion: z.string().nullable(),
  /** The region the last dot went to, or the selection before any dot. */
  currentRegion: z.string().nullable(),
  /** The chair's newest ended session, for its report; null before the first ends. */
  lastSessionId: z.string().nullable(),
  device: z
    .object({
      id: z.string(),
      online: z.boolean(),
      lastSeenAt: z.number().nullable(),
      batteryPct: z.number().nullable(),
    })
    .nullable(),
  session: z
    .object({
      id: z.string(),
      operatorId: z.string(),
      operatorName: z.string(),
      patientRef: z.string(),
      startedAt: z.number(),
      dots: z.object({ total: z.number(), byRegion: z.record(z.string(), z.number()) }),
      /** The patient's earlier sessions, per region. */
      dotsBefore: z.record(z.string(), z.number()),
      /** The plan it follows, sent as a `plans` message (or in the snapshot) before the first chair that names it. */
      planId: z.string().nullable(),
      /** The newest guidance of this session first. */
      guidance: z.array(guidanceEvent),
      /** The session's operator's breaks: fatigue follows the operator from chair to chair. */
      fatigue: fatigueView,
      /** When the plan will be done, and signs of fatigue in the work; refreshed every few seconds. */
      outlook: outlookView.nullable(),
    })
    .nullable(),
  /** The chair's open alarms (active or latched). */
  alarms: z.array(alarmView),
  /** The latest telemetry sample: `at` is when it was made, on the server's clock. */
  sample: z
    .object({ at: z.number(), cycleHz: z.number(), needles: z.number(), running: z.boolean() })
    .nullable(),
  /** The newest sample with the needle running: once it stops, the tablet shows the rate it last ran at. */
  lastRunning: z.object({ at: z.number(), cycleHz: z.number() }).nullable(),
});
export type LiveChair = z.infer<typeof liveChair>;

/** [madeAt ms, cycleHz] pairs, oldest first: what the cycle-rate chart draws. */
const series = z.array(z.tuple([z.number(), z.number()]));
/** [cell, dots] pairs of the coverage grid (server/coverage/grid.ts); cells not listed hold none. */
const cellCounts = z.array(z.tuple([z.number().int(), z.number().int()]));
export type CellCounts = z.infer<typeof cellCounts>;

export const liveServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('snapshot'),
    /** The server's clock now; it runs `timeScale` times faster than real time in accelerated demos. */
    at: z.number(),
    timeScale: z.number(),
    /** Whether high alarms beep on tablets (the clinic's setting). */
    audible: z.boolean(),
    chairs: z.array(liveChair),
    /** The plans these chairs follow, by id. */
    plans: z.record(z.string(), livePlan),
    series: z.record(z.string(), series),
    /** For a one-chair subscription: its open session's grid, and the patient's earlier sessions'. */
    cells: z.record(z.string(), z.object({ session: cellCounts, earlier: cellCounts })),
  }),
  /**
   * What changed since this browser's last update, all in one message (one parse and one render on
   * the screen): the chairs that changed, each as it is now; the plans they follow that are new to
   * this browser or edited; the server's clock; and for a one-chair view its new chart points and
   * the cells of its session's grid that gained dots, with their new counts.
   */
  z.object({
    type: z.literal('update'),
    at: z.number(),
    chairs: z.array(liveChair),
    plans: z.array(livePlan),
    detail: z.object({ chairId: z.string(), points: series, cells: z.object({ sessionId: z.string(), counts: cellCounts }).nullable() }).nullable(),
  }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type LiveServerMessage = z.infer<typeof liveServerMessage>;

/** The clinical band of the needle cycle rate. */
export const CYCLE_BAND_HZ = { min: 100, max: 150 } as const;

export function inBand(cycleHz: number): boolean {
  return cycleHz >= CYCLE_BAND_HZ.min && cycleHz <= CYCLE_BAND_HZ.max;
}
