import type { Db } from './db.ts';
import { newId } from './ids.ts';

export interface Session {
  key: number;
  id: string;
  chairId: string;
  operatorId: string;
  patientRef: string;
  planId: string | null;
  startedAt: number;
  endedAt: number | null;
}

/**
 * SQL: the session aliased `s` was operated by the person in the named parameter `@operatorId`,
 * now or before a hand-over. Every question of who operated a session asks it this one way.
 */
export const OPERATED_BY = `(s.operator_id = @operatorId
  OR EXISTS (SELECT 1 FROM session_handovers h WHERE h.session_key = s.key AND h.from_operator = @operatorId))`;

export interface Handover {
  at: number;
  fromOperator: string;
  toOperator: string;
}

export interface DotCounts {
  total: number;
  byRegion: Record<string, number>;
}

export class OpenSessionExists extends Error {
  constructor(readonly chairId: string) {
    super(`chair ${chairId} already has an open session`);
  }
}

const columns = `key, id, chair_id AS chairId, operator_id AS operatorId, patient_ref AS patientRef,
  plan_id AS planId, started_at AS startedAt, ended_at AS endedAt`;

export function sessionStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO sessions (id, chair_id, operator_id, patient_ref, plan_id, started_at)
     VALUES (@id, @chairId, @operatorId, @patientRef, @planId, @startedAt)`,
  );
  const byId = db.prepare<[string], Session>(`SELECT ${columns} FROM sessions WHERE id = ?`);
  const openByChair = db.prepare<[string], Session>(
    `SELECT ${columns} FROM sessions WHERE chair_id = ? AND ended_at IS NULL`,
  );
  const latestByChair = db.prepare<[string], Session>(
    `SELECT ${columns} FROM sessions WHERE chair_id = ? ORDER BY started_at DESC, key DESC LIMIT 1`,
  );
  const latestEndedByChair = db.prepare<[string], Session>(
    `SELECT ${columns} FROM sessions WHERE chair_id = ? AND ended_at IS NOT NULL ORDER BY ended_at DESC, key DESC LIMIT 1`,
  );
  const open = db.prepare<[], Session>(`SELECT ${columns} FROM sessions WHERE ended_at IS NULL`);
  const end = db.prepare('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL');
  const setOperator = db.prepare('UPDATE sessions SET operator_id = ? WHERE key = ? AND ended_at IS NULL');
  const insertHandover = db.prepare('INSERT INTO session_handovers (session_key, at, from_operator, to_operator) VALUES (?, ?, ?, ?)');
  const operated = db.prepare<[{ key: number; operatorId: string }], { n: number }>(
    `SELECT count(*) AS n FROM sessions s WHERE s.key = @key AND ${OPERATED_BY}`,
  );
  const handoversOf = db.prepare<[number], Handover>(
    'SELECT at, from_operator AS fromOperator, to_operator AS toOperator FROM session_handovers WHERE session_key = ? ORDER BY at, id',
  );
  const counts = db.prepare<[number], { region: string; dots: number }>(
    'SELECT region, dots FROM session_region_counts WHERE session_key = ? ORDER BY region',
  );

  return {
    start(input: Omit<Session, 'key' | 'id' | 'endedAt'>): Session {
      const id = newId('se');
      try {
        insert.run({ id, ...input });
      } catch (error) {
        if (isUniqueViolation(error)) throw new OpenSessionExists(input.chairId);
        throw error;
      }
      return byId.get(id)!;
    },
    /** Ends the session if it is open; ending an ended one changes nothing. */
    end(id: string, now: number): Session | undefined {
      end.run(now, id);
      return byId.get(id);
    },
    /** Hands an open session to another operator from `at` on; undefined when it is not open. */
    handover: db.transaction((session: Session, operatorId: string, at: number): Session | undefined => {
      if (setOperator.run(operatorId, session.key).changes === 0) return undefined;
      insertHandover.run(session.key, at, session.operatorId, operatorId);
      return byId.get(session.id);
    }),
    handovers: (key: number): Handover[] => handoversOf.all(key),
    /** Whether the person operated this session, now or before a hand-over. */
    operatedBy: (key: number, operatorId: string): boolean => operated.get({ key, operatorId })!.n > 0,
    get: (id: string): Session | undefined => byId.get(id),
    openForChair: (chairId: string): Session | undefined => openByChair.get(chairId),
    latestForChair: (chairId: string): Session | undefined => latestByChair.get(chairId),
    latestEndedForChair: (chairId: string): Session | undefined => latestEndedByChair.get(chairId),
    listOpen: (): Session[] => open.all(),
    dotCounts(key: number): DotCounts {
      const byRegion: Record<string, number> = {};
      let total = 0;
      for (const row of counts.all(key)) {
        byRegion[row.region] = row.dots;
        total += row.dots;
      }
      return { total, byRegion };
    },
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

export type SessionStore = ReturnType<typeof sessionStore>;
