import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where backups go: STIPPLE_BACKUP_DIR, or `<data dir>/backups`. The default folder is made when
 * missing (0700: it holds the clinic's whole record). A configured one must exist: it is meant to
 * be another disk, and making it would put backups on the data disk when that disk is not mounted.
 */
export function prepareBackupDir(dataDir: string, configured: string | undefined): string {
  if (configured) return resolve(configured);
  const dir = resolve(join(dataDir, 'backups'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
