import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../server/store/db.ts';

/** Reads the server's real SQLite file, as a second connection would. */
export function query<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function count(dataDir: string, sql: string, ...params: unknown[]): number {
  return query<{ n: number }>(dataDir, sql, ...params)[0]!.n;
}
