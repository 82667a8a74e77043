import { hashToken, newToken } from '../auth/tokens.ts';
import type { Db } from './db.ts';

/** Signed-in browsers. The cookie carries a random id; the table holds its hash and expiry. */
export function browserSessionStore(db: Db) {
  const insert = db.prepare('INSERT INTO browser_sessions (id_hash, created_at, expires_at) VALUES (?, ?, ?)');
  const find = db.prepare<[Buffer, number], { expiresAt: number }>(
    'SELECT expires_at AS expiresAt FROM browser_sessions WHERE id_hash = ? AND expires_at > ?',
  );
  const remove = db.prepare('DELETE FROM browser_sessions WHERE id_hash = ?');
  const purge = db.prepare('DELETE FROM browser_sessions WHERE expires_at <= ?');

  return {
    create(now: number, ttlMs: number): { id: string; expiresAt: number } {
      purge.run(now);
      const id = newToken();
      const expiresAt = now + ttlMs;
      insert.run(hashToken(id), now, expiresAt);
      return { id, expiresAt };
    },
    isValid: (id: string, now: number): boolean => find.get(hashToken(id), now) !== undefined,
    revoke(id: string): void {
      remove.run(hashToken(id));
    },
  };
}

export type BrowserSessionStore = ReturnType<typeof browserSessionStore>;
