import { cellOf } from '../coverage/grid.ts';
import type { CycleSeries, ReplayDots, SessionReport } from '../protocol/report.ts';
import type { Session } from '../store/sessions.ts';
import type { Store } from '../store/index.ts';
import { summariseRegions, tallyDots, totalsOf, type RegionDots } from './summarise.ts';

/** Who operated the session and from when: the first operator, then each hand-over. */
function operatorSpans(store: Store, session: Session) {
  const handovers = store.sessions.handovers(session.key);
  const name = (id: string) => store.people.get(id)?.name ?? id;
  const first = handovers[0]?.fromOperator ?? session.operatorId;
  const spans = [{ operatorId: first, name: name(first), from: session.startedAt, to: handovers[0]?.at ?? session.endedAt }];
  handovers.forEach((h, i) => spans.push({ operatorId: h.toOperator, name: name(h.toOperator), from: h.at, to: handovers[i + 1]?.at ?? session.endedAt }));
  return spans;
}

/** The part of a report that reads every dot: it changes only when the session's dots do. */
export interface SessionWork {
  byRegion: Map<string, RegionDots>;
  /** Dots per grid cell, as [cell, dots]. */
  cells: Array<[number, number]>;
}

export function sessionWork(store: Store, session: Session): SessionWork {
  // The grid the ingest writer keeps beside the dots: the same counts, without reading them again.
  const grid = store.coverage.session(session.key).cells;
  const cells: Array<[number, number]> = [];
  for (let cell = 0; cell < grid.length; cell++) if (grid[cell]! > 0) cells.push([cell, grid[cell]!]);
  return { byRegion: tallyDots(store.records.dots(session.key)), cells };
}

/**
 * The whole record of one session, read from what the store already holds: dots, telemetry seconds,
 * the break log, alarms, guidance and the supervisor's review. `now` ends a session still open.
 */
export function sessionReport(store: Store, session: Session, now: number, work: SessionWork = sessionWork(store, session)): SessionReport {
  const end = session.endedAt ?? now;
  const plan = session.planId ? (store.plans.plan(session.planId) ?? null) : null;
  const { byRegion, cells } = work;

  const guidance = store.records.guidance(session);
  const overwork = new Map<string, number>();
  for (const event of guidance) if (event.kind === 'overwork') overwork.set(event.region, (overwork.get(event.region) ?? 0) + 1);
  const regions = summariseRegions(plan?.regions ?? null, byRegion, overwork);
  const operators = operatorSpans(store, session);

  return {
    session: {
      id: session.id,
      patientRef: session.patientRef,
      chairId: session.chairId,
      chairName: store.chairs.get(session.chairId)?.name ?? session.chairId,
      operators,
      startedAt: session.startedAt,
      endedAt: session.endedAt,
      lengthMs: end - session.startedAt,
      needleMs: Math.round(store.records.needleSeconds(session.chairId, session.startedAt, end) * 1000),
      planId: session.planId,
    },
    plan: plan && {
      id: plan.id, treatmentId: plan.treatmentId, sessionNumber: plan.sessionNumber, sessionsPlanned: plan.sessionsPlanned,
      template: plan.template, regions: plan.regions,
    },
    totals: totalsOf(regions, store.records.flaggedInBreaks(session.key)),
    regions,
    cells,
    breaks: store.records.breaks([...new Set(operators.map((o) => o.operatorId))], session.chairId, session.startedAt, end),
    alarms: store.alarms
      .history({ from: session.startedAt, to: end + 1, chairId: session.chairId }, 10_000)
      .reverse()
      .map((alarm) => ({ ...alarm, events: store.alarms.events(alarm.id) })),
    guidance,
    review: store.records.review(session.key),
  };
}

/** The session's cycle rate, one row per telemetry second, in columns for uPlot. */
export function cycleSeriesOf(store: Store, session: Session, now: number): CycleSeries {
  const series: CycleSeries = { t: [], min: [], mean: [], max: [], running: [] };
  for (const [second, samples, running, mean, min, max] of store.records.seconds(session.chairId, session.startedAt, session.endedAt ?? now)) {
    series.t.push(second);
    series.min.push(min);
    series.mean.push(Math.round(mean * 10) / 10);
    series.max.push(max);
    series.running.push(running / samples >= 0.5 ? 1 : 0);
  }
  return series;
}

/** Every dot for the replay, in columns: ms since the start, grid cell (−1 without a position), region index. */
export function replayDotsOf(store: Store, session: Session): ReplayDots {
  const replay: ReplayDots = { startedAt: session.startedAt, regions: [], t: [], cell: [], region: [] };
  const index = new Map<string, number>();
  for (const [madeAt, region, x, y] of store.records.replayDots(session.key)) {
    let i = index.get(region);
    if (i === undefined) {
      i = replay.regions.push(region) - 1;
      index.set(region, i);
    }
    replay.t.push(madeAt - session.startedAt);
    replay.cell.push(x !== null && y !== null ? cellOf(x, y) : -1);
    replay.region.push(i);
  }
  return replay;
}
