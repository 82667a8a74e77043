/**
 * The server's backups run here, in a process of their own: the copy, the integrity check and the
 * checksums read and write the whole database, and none of that may hold up the event loop that
 * acknowledges the handpieces (test/bench/backup.ts measured it done in steps in the server: ack
 * p99 several times higher). Prints the backup, or the reason it failed, as JSON.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../store/db.ts';
import { backupJob } from './backup-apart.ts';
import { BackupError, takeBackup } from './take-backup.ts';

const input = backupJob.parse(JSON.parse(process.argv[2] ?? 'null'));
const db = new Database(join(input.dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  const entry = await takeBackup({ ...input, db });
  process.stdout.write(JSON.stringify({ ok: true, entry }));
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  process.stdout.write(JSON.stringify({ ok: false, message: error.message }));
} finally {
  db.close();
}
