import { stat } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { sha256File } from './files.ts';

export interface CopyCheck {
  /** What `PRAGMA integrity_check` found; empty when it said ok. */
  problems: string[];
  schemaVersion: number;
  sha256: string;
  bytes: number;
}

/**
 * Checks a database copy: integrity, schema version, SHA-256. With `seal`, a fresh copy (in WAL
 * mode, like its source) is first switched to a rollback journal, so that it is one file that opens
 * read-only anywhere and that its checksum covers whole. The integrity check reads the whole file
 * and blocks while it does: it runs in the tools and in the server's backup process, never in the
 * server's own event loop.
 */
export async function checkCopy(file: string, { seal }: { seal: boolean }): Promise<CopyCheck> {
  let problems: string[];
  let schemaVersion = 0;
  try {
    const db = new Database(file, { readonly: !seal, fileMustExist: true });
    try {
      if (seal) db.pragma('journal_mode = DELETE');
      const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
      problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
      schemaVersion = db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  } catch (error) {
    // A file too damaged to open or read is a finding, not a crash.
    problems = [error instanceof Error ? error.message : String(error)];
  }
  return { problems, schemaVersion, sha256: await sha256File(file), bytes: (await stat(file)).size };
}
