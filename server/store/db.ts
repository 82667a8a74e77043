import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'stipple.db';

/** The database file is damaged (what `PRAGMA quick_check` or SQLite itself said is in `problem`). */
export class DamagedDatabase extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`the database ${file} is damaged: ${problem}`);
  }
}

/**
 * Opens (creating if needed) the clinic database in `dataDir` and brings its schema up to date.
 * WAL with synchronous=FULL: a commit is on disk before it returns, so an ack sent after it
 * survives kill -9 and a power cut (NORMAL would risk the last commits on power loss).
 * A damaged file is refused here (`quick_check` before any migration touches it), not found
 * halfway through a session.
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, DATABASE_FILE);
  let db: Db | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const problems = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) throw new DamagedDatabase(file, problems[0]!);
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (isCorruption(error)) throw new DamagedDatabase(file, (error as Error).message);
    throw error;
  }
}

/** SQLite's own word that a file is damaged or not a database at all. */
function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}
