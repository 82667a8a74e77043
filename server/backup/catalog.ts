import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupEntry } from '../protocol/backups.ts';
import { readManifest } from './manifest.ts';
import { rotate } from './rotation.ts';

/** A folder in the backup dir that is a backup still being made (or left by a crash): never listed. */
export const PARTIAL_PREFIX = '.partial-';

/**
 * The backups in `dir` that count (a valid manifest), newest first. A missing folder has none;
 * folders without a manifest (unfinished, or not ours) are left out.
 */
export async function listBackups(dir: string): Promise<BackupEntry[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  } catch {
    return [];
  }
  const entries = await Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      const read = await readManifest(path);
      return read.ok ? { ...read.manifest, name, path } : undefined;
    }),
  );
  return entries.filter((e) => e !== undefined).sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
}

/** Deletes the backups the rotation no longer keeps (server/backup/rotation.ts); returns their names. */
export async function pruneBackups(dir: string): Promise<string[]> {
  const { remove } = rotate((await listBackups(dir)).map((entry) => ({ ...entry, at: Date.parse(entry.time) })));
  for (const backup of remove) await rm(backup.path, { recursive: true, force: true });
  return remove.map((b) => b.name);
}
