import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'stipple.db';

/**
 * Opens (creating if needed) the clinic database in `dataDir` and brings its schema up to date.
 * WAL with synchronous=FULL: a commit is on disk before it returns, so an ack sent after it
 * survives kill -9 and a power cut (NORMAL would risk the last commits on power loss).
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
