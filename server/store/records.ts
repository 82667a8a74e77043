import type { BreakEvent } from '../protocol/breaks.ts';
import type { GuidanceEvent } from '../protocol/guidance.ts';
import type { SessionReview } from '../protocol/report.ts';
import type { Db } from './db.ts';
import { OPERATED_BY, type Session } from './sessions.ts';

/** One dot as the report reads it: [region, cycles, dwellMs, needles]. */
export type DotRow = [string, number, number, number];
/** One dot as the replay reads it: [madeAt, region, x, y]. */
export type ReplayRow = [number, string, number | null, number | null];
/** One telemetry second: [second, samples, runningSamples, hzMean, hzMin, hzMax, needles]. */
export type SecondRow = [number, number, number, number, number, number, number];

/** [madeAt, deviceKey, seq, region, x, y, cycles, dwellMs, needles] */
export type ExportDotRow = [number, number, number, string, number | null, number | null, number, number, number];
/** [second, deviceKey, samples, runningSamples, hzMean, hzMin, hzMax, needles] */
export type ExportSecondRow = [number, number, number, number, number, number, number, number];

export interface SessionFilter {
  patientRef?: string | undefined;
  operatorId?: string | undefined;
  chairId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

export interface SessionListRow extends Omit<Session, 'key'> {
  chairName: string;
  dots: number;
}

/** What a session left behind, read for its report, its replay and its exports. */
export function recordStore(db: Db) {
  // Only the columns each reader needs: at 40,000 dots a session, every column read costs.
  const dots = db.prepare<[number], DotRow>('SELECT region, cycles, dwell_ms, needles FROM dots WHERE session_key = ?').raw(true);
  const replayDots = db.prepare<[number], ReplayRow>(
    'SELECT made_at, region, x, y FROM dots WHERE session_key = ? ORDER BY made_at, device_key, seq',
  ).raw(true);
  const needleSeconds = db.prepare<[string, number, number], { seconds: number }>(
    `SELECT coalesce(sum(CAST(running_samples AS REAL) / samples), 0) AS seconds FROM telemetry_seconds
     WHERE device_key IN (SELECT key FROM devices WHERE chair_id = ?) AND second >= ? AND second <= ?`,
  );
  const seconds = db.prepare<[string, number, number], SecondRow>(
    `SELECT second, samples, running_samples, hz_sum / samples, hz_min, hz_max, needles FROM telemetry_seconds
     WHERE device_key IN (SELECT key FROM devices WHERE chair_id = ?) AND second >= ? AND second <= ? ORDER BY second`,
  ).raw(true);
  // Pages for the streamed exports: an open iterator would hold the connection that ingest commits on.
  const dotsPage = db.prepare<[number, number, number, number, number], ExportDotRow>(
    `SELECT made_at, device_key, seq, region, x, y, cycles, dwell_ms, needles FROM dots
     WHERE session_key = ? AND (made_at, device_key, seq) > (?, ?, ?) ORDER BY made_at, device_key, seq LIMIT ?`,
  ).raw(true);
  const secondsPage = db.prepare<[string, number, number, number, number, number], ExportSecondRow>(
    `SELECT second, device_key, samples, running_samples, hz_sum / samples, hz_min, hz_max, needles FROM telemetry_seconds
     WHERE device_key IN (SELECT key FROM devices WHERE chair_id = ?) AND second <= ? AND (second, device_key) > (?, ?)
     AND second >= ? ORDER BY second, device_key LIMIT ?`,
  ).raw(true);
  const flagged = db.prepare<[number], { n: number }>(
    'SELECT count(*) AS n FROM break_violations v JOIN dots d ON d.device_key = v.device_key AND d.seq = v.seq WHERE d.session_key = ?',
  );
  const breaks = db.prepare<[string, string, number, number], BreakEvent>(
    `SELECT id, operator_id AS operatorId, chair_id AS chairId, type, kind, at, ms, detail FROM break_events
     WHERE operator_id IN (SELECT value FROM json_each(?)) AND (chair_id = ? OR chair_id IS NULL) AND at >= ? AND at <= ?
     ORDER BY at, id`,
  );
  const guidance = db.prepare<[number], Omit<GuidanceEvent, 'sessionId'>>(
    'SELECT id, chair_id AS chairId, kind, region, message, at FROM guidance_events WHERE session_key = ? ORDER BY at, id',
  );
  const ofTreatment = db.prepare<[string], SessionListRow & { sessionNumber: number }>(
    `SELECT s.id, s.chair_id AS chairId, c.name AS chairName, s.operator_id AS operatorId, s.patient_ref AS patientRef,
       s.plan_id AS planId, s.started_at AS startedAt, s.ended_at AS endedAt, p.session_number AS sessionNumber,
       coalesce((SELECT sum(dots) FROM session_region_counts WHERE session_key = s.key), 0) AS dots
     FROM plans p JOIN sessions s ON s.plan_id = p.id JOIN chairs c ON c.id = s.chair_id
     WHERE p.treatment_id = ? ORDER BY s.started_at`,
  );
  // A filter left out matches everything: one statement, prepared once, serves every search.
  const listed = db.prepare<[Record<string, string | number | null>], SessionListRow>(
    `SELECT s.id, s.chair_id AS chairId, c.name AS chairName, s.operator_id AS operatorId, s.patient_ref AS patientRef,
       s.plan_id AS planId, s.started_at AS startedAt, s.ended_at AS endedAt,
       coalesce((SELECT sum(dots) FROM session_region_counts WHERE session_key = s.key), 0) AS dots
     FROM sessions s JOIN chairs c ON c.id = s.chair_id
     WHERE (@patientRef IS NULL OR s.patient_ref = @patientRef) AND (@chairId IS NULL OR s.chair_id = @chairId)
       AND (@from IS NULL OR s.started_at >= @from) AND (@to IS NULL OR s.started_at < @to)
       AND (@operatorId IS NULL OR ${OPERATED_BY})
     ORDER BY s.started_at DESC LIMIT @limit`,
  );
  const review = db.prepare<[number], SessionReview>(
    'SELECT note, signed_off_by AS signedOffBy, signed_off_at AS signedOffAt, updated_at AS updatedAt FROM session_reviews WHERE session_key = ?',
  );
  const saveNote = db.prepare(
    `INSERT INTO session_reviews (session_key, note, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (session_key) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at`,
  );
  const signOff = db.prepare(
    `INSERT INTO session_reviews (session_key, note, updated_at, signed_off_by, signed_off_at) VALUES (?, '', ?, ?, ?)
     ON CONFLICT (session_key) DO UPDATE SET signed_off_by = excluded.signed_off_by, signed_off_at = excluded.signed_off_at`,
  );

  return {
    /** The session's dots, in no particular order, one row at a time. */
    dots: (sessionKey: number): IterableIterator<DotRow> => dots.iterate(sessionKey),
    /** The session's dots in the order they were made, one row at a time. */
    replayDots: (sessionKey: number): IterableIterator<ReplayRow> => replayDots.iterate(sessionKey),
    /** Seconds the chair's handpieces ran the needle from `from` to `to` (ms), from their telemetry. */
    needleSeconds: (chairId: string, from: number, to: number): number =>
      needleSeconds.get(chairId, Math.floor(from / 1000), Math.floor(to / 1000))?.seconds ?? 0,
    /** Telemetry seconds of the chair's handpieces from `from` to `to` (ms), one row at a time. */
    seconds: (chairId: string, from: number, to: number): IterableIterator<SecondRow> =>
      seconds.iterate(chairId, Math.floor(from / 1000), Math.floor(to / 1000)),
    /** Up to `limit` dots after the position `after` ([madeAt, deviceKey, seq]). */
    dotsPage: (sessionKey: number, after: readonly [number, number, number], limit: number): ExportDotRow[] =>
      dotsPage.all(sessionKey, after[0], after[1], after[2], limit),
    /** Up to `limit` telemetry seconds of the chair after `after` ([second, deviceKey]), to `toSecond`. */
    secondsPage: (chairId: string, fromSecond: number, toSecond: number, after: readonly [number, number], limit: number): ExportSecondRow[] =>
      secondsPage.all(chairId, toSecond, after[0], after[1], fromSecond, limit),
    flaggedInBreaks: (sessionKey: number): number => flagged.get(sessionKey)?.n ?? 0,
    breaks: (operatorIds: readonly string[], chairId: string, from: number, to: number): BreakEvent[] =>
      breaks.all(JSON.stringify(operatorIds), chairId, from, to),
    guidance: (session: { key: number; id: string }): GuidanceEvent[] =>
      guidance.all(session.key).map((row) => ({ ...row, sessionId: session.id })),
    review: (sessionKey: number): SessionReview =>
      review.get(sessionKey) ?? { note: '', signedOffBy: null, signedOffAt: null, updatedAt: null },
    saveNote(sessionKey: number, note: string, now: number): void {
      saveNote.run(sessionKey, note, now);
    },
    signOff(sessionKey: number, by: string, now: number): void {
      signOff.run(sessionKey, now, by, now);
    },
    /** Every session that followed one of the treatment's plans, oldest first, with its plan's session number. */
    ofTreatment: (treatmentId: string) => ofTreatment.all(treatmentId),
    /** Sessions newest first, filtered; at most `limit`. */
    list(filter: SessionFilter, limit = 200): SessionListRow[] {
      return listed.all({
        patientRef: filter.patientRef || null, chairId: filter.chairId || null, operatorId: filter.operatorId || null,
        from: filter.from ?? null, to: filter.to ?? null, limit,
      });
    },
  };
}

export type RecordStore = ReturnType<typeof recordStore>;
