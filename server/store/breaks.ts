import type { OperatorState } from '../breaks/engine.ts';
import type { BreakEvent } from '../protocol/breaks.ts';
import type { Db } from './db.ts';

/** The break engine's durable side: operators' states, needle time per day, the break log, flagged dots. */
export function breakStore(db: Db) {
  const saveState = db.prepare(
    `INSERT INTO operator_fatigue (operator_id, state, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (operator_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
  );
  const saveDay = db.prepare(
    `INSERT INTO operator_days (operator_id, day, needle_ms) VALUES (?, ?, ?)
     ON CONFLICT (operator_id, day) DO UPDATE SET needle_ms = excluded.needle_ms`,
  );
  const states = db.prepare<[], { operatorId: string; state: string }>('SELECT operator_id AS operatorId, state FROM operator_fatigue');
  const insertEvent = db.prepare(
    'INSERT INTO break_events (operator_id, chair_id, type, kind, at, ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const eventsOf = db.prepare<[string, number], BreakEvent>(
    `SELECT id, operator_id AS operatorId, chair_id AS chairId, type, kind, at, ms, detail FROM break_events
     WHERE operator_id = ? AND at >= ? ORDER BY at, id`,
  );
  const daysOf = db.prepare<[string, string], { day: string; needleMs: number }>(
    'SELECT day, needle_ms AS needleMs FROM operator_days WHERE operator_id = ? AND day >= ? ORDER BY day',
  );
  const flag = db.prepare('INSERT OR IGNORE INTO break_violations (device_key, seq, operator_id, made_at) VALUES (?, ?, ?, ?)');

  return {
    /** Saves operators' states and their day's needle time in one transaction. */
    save: db.transaction((entries: Array<{ operatorId: string; state: OperatorState }>, now: number) => {
      for (const { operatorId, state } of entries) {
        saveState.run(operatorId, JSON.stringify(state), now);
        saveDay.run(operatorId, state.day, Math.round(state.needleMsToday));
      }
    }),
    states: (): Array<{ operatorId: string; state: OperatorState }> =>
      states.all().map((row) => ({ operatorId: row.operatorId, state: JSON.parse(row.state) as OperatorState })),
    addEvent(event: Omit<BreakEvent, 'id'>): BreakEvent {
      const id = Number(insertEvent.run(event.operatorId, event.chairId, event.type, event.kind, event.at, event.ms, event.detail).lastInsertRowid);
      return { id, ...event };
    },
    events: (operatorId: string, since: number): BreakEvent[] => eventsOf.all(operatorId, since),
    days: (operatorId: string, fromDay: string) => daysOf.all(operatorId, fromDay),
    flagViolation(dot: { deviceKey: number; seq: number; madeAt: number }, operatorId: string): void {
      flag.run(dot.deviceKey, dot.seq, operatorId, dot.madeAt);
    },
  };
}

export type BreakStore = ReturnType<typeof breakStore>;
