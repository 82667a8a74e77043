import { copyFile, cp, mkdir, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BackupManifest } from '../protocol/backups.ts';
import { StartupError } from '../startup-error.ts';
import { DATABASE_FILE } from '../store/db.ts';
import { SCHEMA_VERSION } from '../store/migrations.ts';
import { processUsing } from './data-dir-lock.ts';
import { exists, sha256File, syncPath } from './files.ts';
import { backupName, readManifest } from './manifest.ts';
import { checkCopy } from './verify-copy.ts';

/** A restore that was refused; nothing in the data dir was changed. */
export class RestoreRefused extends StartupError {}

export interface Restored {
  manifest: BackupManifest;
  /** Where the database that was replaced now is (null when the data dir had none). */
  databaseAside: string | null;
  /** The other paths that were replaced, where they now are. */
  filesAside: string[];
}

/** SQLite's companions of a database file: its write-ahead log and the log's index. */
const COMPANIONS = ['-wal', '-shm'] as const;

/**
 * Puts a backup back into a stopped box's data dir. The backup is checked first (manifest, the
 * SHA-256 of every file, `PRAGMA integrity_check`, a schema this software knows); what it replaces
 * is kept aside as `<name>.replaced-<time>`, never deleted. The database's write-ahead log goes
 * aside with it: left in place, SQLite would replay the old log into the restored file.
 */
export async function restoreBackup(backup: string, dataDir: string, at: number): Promise<Restored> {
  const folder = resolve(backup);
  refuseWhileRunning(dataDir);
  const read = await readManifest(folder);
  if (!read.ok) throw new RestoreRefused(read.reason);
  const { manifest } = read;
  if (manifest.schemaVersion > SCHEMA_VERSION) {
    throw new RestoreRefused(`the backup is at schema version ${manifest.schemaVersion}, newer than this Stipple knows (${SCHEMA_VERSION}): restore it with a newer Stipple`);
  }
  for (const file of manifest.files) {
    if ((await sha256File(join(folder, file.path)).catch(() => null)) !== file.sha256) {
      throw new RestoreRefused(`${file.path} in the backup does not match its checksum in the manifest: the backup is damaged`);
    }
  }
  const database = join(folder, manifest.database.path);
  const checked = await checkCopy(database, { seal: false });
  if (checked.sha256 !== manifest.database.sha256) throw new RestoreRefused(`${manifest.database.path} in the backup does not match its checksum in the manifest: the backup is damaged`);
  if (checked.problems.length > 0) throw new RestoreRefused(`the database in the backup fails its integrity check: ${checked.problems[0]}`);

  await mkdir(dataDir, { recursive: true });
  refuseWhileRunning(dataDir); // the checks take a while on a large backup: look again
  const suffix = `.replaced-${backupName(at)}`;

  // The copy goes in beside the old file, then one rename swaps them: a crash leaves one or the other.
  const incoming = join(dataDir, `${DATABASE_FILE}.restoring`);
  await copyFile(database, incoming);
  await syncPath(incoming);
  const current = join(dataDir, DATABASE_FILE);
  let databaseAside: string | null = null;
  if (await exists(current)) {
    databaseAside = `${current}${suffix}`;
    await rename(current, databaseAside);
    for (const companion of COMPANIONS) if (await exists(`${current}${companion}`)) await rename(`${current}${companion}`, `${databaseAside}${companion}`);
  }
  await rename(incoming, current);

  const filesAside: string[] = [];
  for (const path of new Set(manifest.files.map((f) => f.path.split('/')[0]!))) {
    const target = join(dataDir, path);
    if (await exists(target)) {
      filesAside.push(`${target}${suffix}`);
      await rename(target, `${target}${suffix}`);
    }
    await cp(join(folder, path), target, { recursive: true, preserveTimestamps: true });
  }
  await syncPath(dataDir);
  return { manifest, databaseAside, filesAside };
}

function refuseWhileRunning(dataDir: string): void {
  const pid = processUsing(dataDir);
  if (pid !== undefined) {
    throw new RestoreRefused(`Stipple is running on ${dataDir} (process ${pid}): stop it first (a restore replaces the database under it)`);
  }
}
