/**
 * Backups of the edge box: the manifest kept beside each copy (docs/operations.md) and what the
 * API says about them. The server, the command-line tools and the setup page read them through
 * these schemas.
 */
import { z } from 'zod';

/** What made a backup: the nightly schedule, sessions ending, or a person (button or `npm run backup`). */
export const BACKUP_KINDS = ['scheduled', 'session-end', 'manual'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

/** One file in a backup, by its path inside the backup folder. */
export const backupFile = z.object({
  /** Relative, with "/": a manifest cannot send a restore outside the backup and the data dir. */
  path: z.string().min(1).refine((p) => !p.startsWith('/') && !p.split(/[/\\]/).includes('..'), 'a path inside the backup'),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex'),
});
export type BackupFile = z.infer<typeof backupFile>;

/** manifest.json, written last: a backup folder without a valid one does not count. */
export const backupManifest = z.object({
  format: z.literal(1),
  /** When the copy was made (ISO 8601, UTC); the folder is named after it. */
  time: z.iso.datetime(),
  kind: z.enum(BACKUP_KINDS),
  /** Bytes of everything in the backup. */
  size: z.number().int().nonnegative(),
  /** The database copy; it passed `PRAGMA integrity_check` before this manifest was written. */
  database: backupFile,
  /** The copy's `PRAGMA user_version`: a newer one than the software knows is not restored. */
  schemaVersion: z.number().int().nonnegative(),
  /** The other files of the data dir that were copied (the clinic CA, …). */
  files: z.array(backupFile),
});
export type BackupManifest = z.infer<typeof backupManifest>;

/** A backup as listed: its manifest, its folder's name and full path. */
export const backupEntry = backupManifest.extend({ name: z.string(), path: z.string() });
export type BackupEntry = z.infer<typeof backupEntry>;

/** GET /api/backups. */
export const backupStatus = z.object({
  /** Where backups go (STIPPLE_BACKUP_DIR). */
  dir: z.string(),
  /** The backup folder is on the same disk as the data: one dead disk takes both. Null when the folder is missing. */
  sameDisk: z.boolean().nullable(),
  running: z.boolean(),
  /** The newest backup that counts (newest first in `backups`). */
  lastGood: backupEntry.nullable(),
  backups: z.array(backupEntry),
  /** The last attempt that failed, when it is newer than the last good backup. */
  lastError: z.object({ at: z.number(), message: z.string() }).nullable(),
  /** The next nightly backup (server clock), or null when the schedule is off. */
  nextScheduledAt: z.number().nullable(),
});
export type BackupStatus = z.infer<typeof backupStatus>;

/** "1.4 GiB", "512 MiB": sizes as a person reads them in an alarm, an error or on the setup page. */
export function bytesInWords(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
