import { Hono } from 'hono';
import { BackupError } from '../../backup/take-backup.ts';
import { recordAudit } from '../audit-log.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/** Backups: the list with the last good one (staff), and "Back up now" (admins). */
export function backupRoutes(deps: ApiDeps) {
  const { backups } = deps;
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json(await backups.status()))
    .post('/', async (c) => {
      recordAudit(deps, c, 'backup.start', null);
      const made = backups.backUp('manual');
      // ?wait=true (scripts, tests): answer with the backup once it counts. Otherwise at once: the setup page follows it.
      if (c.req.query('wait') !== 'true') {
        made.catch(() => undefined); // its failure is in the status and the log
        return c.json(await backups.status(), 202);
      }
      try {
        return c.json(await made, 201);
      } catch (error) {
        if (error instanceof BackupError) throw new ApiError(503, 'backup_failed', error.message);
        throw error;
      }
    });
}
