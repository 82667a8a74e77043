import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backupManifest, type BackupManifest } from '../protocol/backups.ts';
import { syncPath } from './files.ts';

export const MANIFEST_FILE = 'manifest.json';

/**
 * A backup folder's name: its UTC time, with "-" for ":" so that it is valid on every file system
 * a backup drive may carry (exFAT, FAT32), and sorts by time.
 */
export function backupName(at: number): string {
  return new Date(at).toISOString().replaceAll(':', '-');
}

/** The manifest of the backup in `folder`, or why it is not one. */
export async function readManifest(folder: string): Promise<{ ok: true; manifest: BackupManifest } | { ok: false; reason: string }> {
  let text: string;
  try {
    text = await readFile(join(folder, MANIFEST_FILE), 'utf8');
  } catch {
    return { ok: false, reason: `${folder} has no ${MANIFEST_FILE}: it is not a backup, or one that did not finish` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${join(folder, MANIFEST_FILE)} is not valid JSON` };
  }
  const parsed = backupManifest.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `${join(folder, MANIFEST_FILE)} is not a Stipple backup manifest (${parsed.error.issues[0]?.message ?? 'invalid'})` };
  return { ok: true, manifest: parsed.data };
}

/** Writes the manifest durably (written, synced, then renamed into place): it is what makes the folder count. */
export async function writeManifest(folder: string, manifest: BackupManifest): Promise<void> {
  const temporary = join(folder, `${MANIFEST_FILE}.tmp`);
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await syncPath(temporary);
  await rename(temporary, join(folder, MANIFEST_FILE));
}

