import type { GuidanceEvent, GuidanceKind } from '../protocol/guidance.ts';
import type { Db } from './db.ts';

export interface NewGuidanceEvent {
  sessionKey: number;
  sessionId: string;
  chairId: string;
  kind: GuidanceKind;
  region: string;
  message: string;
  at: number;
}

/** Guidance the server gave during sessions, kept for the supervisor and the alarm rules. */
export function guidanceStore(db: Db) {
  const insert = db.prepare(
    'INSERT INTO guidance_events (session_key, chair_id, kind, region, message, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const latest = db.prepare<[number, number], Omit<GuidanceEvent, 'sessionId'>>(
    `SELECT id, chair_id AS chairId, kind, region, message, at FROM guidance_events
     WHERE session_key = ? ORDER BY at DESC, id DESC LIMIT ?`,
  );
  return {
    add(event: NewGuidanceEvent): GuidanceEvent {
      const { sessionKey, ...rest } = event;
      const id = Number(insert.run(sessionKey, event.chairId, event.kind, event.region, event.message, event.at).lastInsertRowid);
      return { id, ...rest };
    },
    /** The session's newest events first. */
    latest(session: { key: number; id: string }, limit: number): GuidanceEvent[] {
      return latest.all(session.key, limit).map((row) => ({ ...row, sessionId: session.id }));
    },
  };
}

export type GuidanceStore = ReturnType<typeof guidanceStore>;
