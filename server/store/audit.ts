import type { Db } from './db.ts';

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: number;
  to?: number;
  limit?: number;
}

/** Who did what, when: appended to, never changed (the table refuses UPDATE and DELETE). */
export function auditStore(db: Db) {
  const insert = db.prepare('INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)');
  const select = db.prepare<
    { actor: string | null; action: string | null; from: number; to: number; limit: number },
    Omit<AuditEntry, 'detail'> & { detail: string }
  >(
    `SELECT id, at, actor, action, target, detail FROM audit
     WHERE (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action = @action) AND at >= @from AND at < @to
     ORDER BY id DESC LIMIT @limit`,
  );

  return {
    append(entry: Omit<AuditEntry, 'id'>): void {
      insert.run(entry.at, entry.actor, entry.action, entry.target, JSON.stringify(entry.detail));
    },
    query(filter: AuditFilter = {}): AuditEntry[] {
      return select
        .all({
          actor: filter.actor ?? null,
          action: filter.action ?? null,
          from: filter.from ?? 0,
          to: filter.to ?? Number.MAX_SAFE_INTEGER,
          limit: filter.limit ?? 500,
        })
        .map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;
