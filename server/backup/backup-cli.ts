/**
 * `npm run backup`: backs up a box's data dir (the database and the other files it keeps) into its
 * backup folder, whether the server runs or not: SQLite's backup API reads a consistent copy from a
 * second process while the server goes on writing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { readConfig } from '../config.ts';
import { bytesInWords } from '../protocol/backups.ts';
import { runMain, StartupError } from '../startup-error.ts';
import { DATABASE_FILE } from '../store/db.ts';
import { prepareBackupDir } from './backup-dir.ts';
import { pruneBackups } from './catalog.ts';
import { takeBackup } from './take-backup.ts';

const options = z.object({ dataDir: z.string().min(1), backupDir: z.string().min(1).optional() });

await runMain('stipple backup', async () => {
  const config = readConfig();
  const program = new Command('npm run backup --')
    .description('Back up the data dir of a Stipple box now (the server may be running or not).')
    .option('--data-dir <dir>', 'the data dir (STIPPLE_DATA_DIR)', config.STIPPLE_DATA_DIR)
    .option('--backup-dir <dir>', 'where backups go (STIPPLE_BACKUP_DIR; default <data dir>/backups)', config.STIPPLE_BACKUP_DIR)
    .parse();
  const { dataDir, backupDir: configured } = options.parse(program.opts());
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) throw new StartupError(`there is no database in ${dataDir}: give the data dir with --data-dir or STIPPLE_DATA_DIR`);
  const backupDir = prepareBackupDir(dataDir, configured);

  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const entry = await takeBackup({ db, dataDir, backupDir, kind: 'manual', at: Date.now() });
    const removed = await pruneBackups(backupDir);
    process.stdout.write(`Backup made: ${entry.path} (${bytesInWords(entry.size)}, ${entry.files.length} other file(s), integrity check ok)\n`);
    if (removed.length > 0) process.stdout.write(`Rotation removed ${removed.length} older backup(s): ${removed.join(', ')}\n`);
  } finally {
    db.close();
  }
});
