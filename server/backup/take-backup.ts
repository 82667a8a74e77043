import { constants } from 'node:fs';
import { access, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StartupError } from '../startup-error.ts';
import { bytesInWords, type BackupEntry, type BackupFile, type BackupKind, type BackupManifest } from '../protocol/backups.ts';
import { DATABASE_FILE, type Db } from '../store/db.ts';
import { PARTIAL_PREFIX } from './catalog.ts';
import { statfsFreeSpace } from './disk.ts';
import { isAlive } from './data-dir-lock.ts';
import { bytesUnder, copyDescribed, exists, syncPath } from './files.ts';
import { INCLUDED_PATHS } from './included-files.ts';
import { backupName, writeManifest } from './manifest.ts';
import { checkCopy } from './verify-copy.ts';

/**
 * A backup that could not be made, for a reason a person can act on (no folder, no space, a copy
 * that failed its check). A StartupError, so that `npm run backup` prints it as one line.
 */
export class BackupError extends StartupError {}

export interface TakeBackupOptions {
  /** A connection of this process's own to the box's database (read-only will do). */
  db: Db;
  dataDir: string;
  backupDir: string;
  kind: BackupKind;
  /** Clock time of the backup: it names the folder. */
  at: number;
}

/**
 * Every page in one step. The server writes through another connection, and a copy made in steps
 * would restart at each of its writes; one step is one read of a consistent moment, which in WAL
 * mode does not hold the server's writes up (test/bench/backup.ts).
 */
const ONE_STEP = 0x7fffffff;

/**
 * Makes one backup: an online copy of the database with SQLite's backup API, checked with
 * `PRAGMA integrity_check`, the other files of the data dir, and the manifest, in a hidden folder
 * that is renamed to its UTC time only once everything is on disk. A failure leaves nothing behind
 * (a process killed on the way leaves its folder to the next backup to remove). It reads and
 * writes the whole database, synchronously at times: the server runs it in a process of its own
 * (backup-child.ts), the command-line tool in its own.
 */
export async function takeBackup(options: TakeBackupOptions): Promise<BackupEntry> {
  const { db, dataDir, backupDir, kind, at } = options;
  await usableFolder(backupDir);
  const needed = await bytesToCopy(dataDir);
  const { freeBytes } = statfsFreeSpace(backupDir);
  if (freeBytes < needed) {
    throw new BackupError(`the backup folder ${backupDir} has ${bytesInWords(freeBytes)} free; a backup needs about ${bytesInWords(needed)}`);
  }
  await removeAbandoned(backupDir);

  const name = backupName(at);
  const partial = join(backupDir, `${PARTIAL_PREFIX}${name}-${process.pid}`);
  await mkdir(partial, { mode: 0o700 });
  try {
    const copy = join(partial, DATABASE_FILE);
    await db.backup(copy, { progress: () => ONE_STEP });
    const checked = await checkCopy(copy, { seal: true });
    if (checked.problems.length > 0) throw new BackupError(`the copy failed its integrity check: ${checked.problems[0]}`);

    const files: BackupFile[] = [];
    for (const path of INCLUDED_PATHS) if (await exists(join(dataDir, path))) files.push(...(await copyDescribed(dataDir, partial, path)));
    const database: BackupFile = { path: DATABASE_FILE, bytes: checked.bytes, sha256: checked.sha256 };
    const manifest: BackupManifest = {
      format: 1,
      time: new Date(at).toISOString(),
      kind,
      size: files.reduce((sum, f) => sum + f.bytes, database.bytes),
      database,
      schemaVersion: checked.schemaVersion,
      files,
    };
    await writeManifest(partial, manifest);
    await syncPath(partial);
    const path = join(backupDir, name);
    await rename(partial, path);
    await syncPath(backupDir);
    return { ...manifest, name, path };
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

async function usableFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new BackupError(`the backup folder ${dir} does not exist`);
  if (!info.isDirectory()) throw new BackupError(`the backup folder ${dir} is not a folder`);
  await access(dir, constants.W_OK).catch(() => {
    throw new BackupError(`the backup folder ${dir} is not writable by this user`);
  });
}

/** About what a backup of `dataDir` takes: the database with its write-ahead log, and the other files. */
export async function bytesToCopy(dataDir: string): Promise<number> {
  const paths = [DATABASE_FILE, `${DATABASE_FILE}-wal`, ...INCLUDED_PATHS];
  const sizes = await Promise.all(paths.map((path) => bytesUnder(join(dataDir, path))));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Folders of backups that a process began and never finished (it crashed or was killed). */
async function removeAbandoned(backupDir: string): Promise<void> {
  for (const name of await readdir(backupDir)) {
    const pid = Number(/-(\d+)$/.exec(name)?.[1]);
    if (!name.startsWith(PARTIAL_PREFIX) || !Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await rm(join(backupDir, name), { recursive: true, force: true });
  }
}

