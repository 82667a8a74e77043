import { hashToken, newToken } from '../auth/tokens.ts';
import type { Caller, Role } from '../auth/roles.ts';
import type { Db } from './db.ts';

/** Signed-in browsers. The cookie carries a random id; the table holds its hash, its person and expiry. */
export function browserSessionStore(db: Db) {
  const insert = db.prepare(
    'INSERT INTO browser_sessions (id_hash, created_at, expires_at, person_id, role, chair_id) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // A disabled person's sessions stop working at once.
  const find = db.prepare<[Buffer, number], { personId: string | null; role: Role; chairId: string | null; name: string | null }>(
    `SELECT s.person_id AS personId, s.role, s.chair_id AS chairId, p.name
     FROM browser_sessions s LEFT JOIN people p ON p.id = s.person_id
     WHERE s.id_hash = ? AND s.expires_at > ? AND (s.person_id IS NULL OR p.disabled_at IS NULL)`,
  );
  const remove = db.prepare('DELETE FROM browser_sessions WHERE id_hash = ?');
  const removePerson = db.prepare('DELETE FROM browser_sessions WHERE person_id = ?');
  const purge = db.prepare('DELETE FROM browser_sessions WHERE expires_at <= ?');
  const revokedListeners = new Set<() => void>();
  const revoked = () => {
    for (const listener of revokedListeners) listener();
  };

  return {
    create(caller: Caller, now: number, ttlMs: number): { id: string; expiresAt: number } {
      purge.run(now);
      const id = newToken();
      const expiresAt = now + ttlMs;
      insert.run(hashToken(id), now, expiresAt, caller.personId, caller.role, caller.chairId);
      return { id, expiresAt };
    },
    /** Who a live session cookie belongs to. */
    caller(id: string, now: number): Caller | undefined {
      const row = find.get(hashToken(id), now);
      return row && { personId: row.personId, role: row.role, chairId: row.chairId, name: row.name ?? 'admin token' };
    },
    revoke(id: string): void {
      remove.run(hashToken(id));
      revoked();
    },
    revokePerson(personId: string): void {
      removePerson.run(personId);
      revoked();
    },
    /** Sessions were revoked (a sign-out, a person disabled): whoever holds sockets re-checks them. */
    onRevoked(listener: () => void): () => void {
      revokedListeners.add(listener);
      return () => revokedListeners.delete(listener);
    },
  };
}

export type BrowserSessionStore = ReturnType<typeof browserSessionStore>;
