import type { AlarmEvent, AlarmView, Condition } from '../protocol/alarms.ts';
import type { Db } from './db.ts';

interface AlarmRow extends Omit<AlarmView, 'conditionActive' | 'escalated'> {
  conditionActive: number;
  escalated: number;
}

const columns = `id, chair_id AS chairId, condition, priority, state, condition_active AS conditionActive, detail,
  operator_id AS operatorId, raised_at AS raisedAt, last_at AS lastAt, repeats, acknowledged_by AS acknowledgedBy,
  acknowledged_at AS acknowledgedAt, silenced_until AS silencedUntil, escalated, closed_at AS closedAt`;

const view = (row: AlarmRow): AlarmView => ({ ...row, conditionActive: row.conditionActive === 1, escalated: row.escalated === 1 });

export interface AlarmFilter {
  from: number;
  to: number;
  condition?: Condition | undefined;
  chairId?: string | undefined;
  priority?: AlarmView['priority'] | undefined;
}

/** Alarms as they stand, and the log of every change to them. */
export function alarmStore(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO alarms (id, chair_id, condition, priority, state, condition_active, detail, operator_id, raised_at, last_at,
       repeats, acknowledged_by, acknowledged_at, silenced_until, escalated, closed_at)
     VALUES (@id, @chairId, @condition, @priority, @state, @conditionActive, @detail, @operatorId, @raisedAt, @lastAt,
       @repeats, @acknowledgedBy, @acknowledgedAt, @silencedUntil, @escalated, @closedAt)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, condition_active = excluded.condition_active,
       detail = excluded.detail, last_at = excluded.last_at, repeats = excluded.repeats,
       acknowledged_by = excluded.acknowledged_by, acknowledged_at = excluded.acknowledged_at,
       silenced_until = excluded.silenced_until, escalated = excluded.escalated, closed_at = excluded.closed_at`,
  );
  const insertEvent = db.prepare('INSERT INTO alarm_events (alarm_id, change, at, by, detail) VALUES (?, ?, ?, ?, ?)');
  const open = db.prepare<[], AlarmRow>(`SELECT ${columns} FROM alarms WHERE state <> 'closed'`);
  const lastId = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM alarms');
  const events = db.prepare<[number], AlarmEvent>('SELECT alarm_id AS alarmId, change, at, by, detail FROM alarm_events WHERE alarm_id = ? ORDER BY at, id');

  const where = (f: AlarmFilter) => {
    const clauses = ['raised_at >= @from', 'raised_at < @to'];
    if (f.condition) clauses.push('condition = @condition');
    if (f.chairId) clauses.push('chair_id = @chairId');
    if (f.priority) clauses.push('priority = @priority');
    return { sql: clauses.join(' AND '), params: { from: f.from, to: f.to, condition: f.condition, chairId: f.chairId, priority: f.priority } };
  };

  return {
    /** Saves the alarm as it is now, with the change that made it so, in one transaction. */
    record: db.transaction((alarm: AlarmView, event: Omit<AlarmEvent, 'alarmId'>) => {
      upsert.run({ ...alarm, conditionActive: alarm.conditionActive ? 1 : 0, escalated: alarm.escalated ? 1 : 0 });
      insertEvent.run(alarm.id, event.change, event.at, event.by, event.detail);
    }),
    /** Saves the alarm as it is now, without an event: a repeat of its condition. */
    update(alarm: AlarmView): void {
      upsert.run({ ...alarm, conditionActive: alarm.conditionActive ? 1 : 0, escalated: alarm.escalated ? 1 : 0 });
    },
    open: (): AlarmView[] => open.all().map(view),
    lastId: (): number => lastId.get()?.id ?? 0,
    events: (alarmId: number): AlarmEvent[] => events.all(alarmId),
    history(filter: AlarmFilter, limit = 500): AlarmView[] {
      const { sql, params } = where(filter);
      return db.prepare<[typeof params], AlarmRow>(`SELECT ${columns} FROM alarms WHERE ${sql} ORDER BY raised_at DESC LIMIT ${limit}`).all(params).map(view);
    },
    /** Alarms raised per condition per day (the box's local day). */
    perDay(filter: AlarmFilter): Array<{ day: string; condition: Condition; count: number }> {
      const { sql, params } = where(filter);
      return db
        .prepare<[typeof params], { day: string; condition: Condition; count: number }>(
          `SELECT date(raised_at / 1000, 'unixepoch', 'localtime') AS day, condition, count(*) AS count
           FROM alarms WHERE ${sql} GROUP BY day, condition ORDER BY day, condition`,
        )
        .all(params);
    },
  };
}

export type AlarmStore = ReturnType<typeof alarmStore>;
