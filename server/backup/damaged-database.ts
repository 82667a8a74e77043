import { StartupError } from '../startup-error.ts';
import { DamagedDatabase } from '../store/db.ts';
import { openStore, type Store } from '../store/index.ts';
import { listBackups } from './catalog.ts';

/** Opens the store at start; a damaged database stops the start with the way back (below). */
export async function openCheckedStore(dataDir: string, backupDir: string): Promise<Store> {
  try {
    return openStore(dataDir);
  } catch (error) {
    if (error instanceof DamagedDatabase) throw await damageStopsStart(error, backupDir);
    throw error;
  }
}

/**
 * What stops the start of a box whose database is damaged: one line that says so and gives the
 * way back, the last good backup and the command that restores it.
 */
export async function damageStopsStart(damage: DamagedDatabase, backupDir: string): Promise<StartupError> {
  const problem = damage.problem.replace(/\s+/g, ' ').trim();
  const [lastGood] = await listBackups(backupDir);
  const way = lastGood
    ? `the last good backup was made ${lastGood.time}: stop Stipple and run "npm run restore -- ${lastGood.path}" (the damaged file is kept aside)`
    : `there is no good backup in ${backupDir}: see "Backups and restore" in docs/operations.md`;
  return new StartupError(`the database ${damage.file} is damaged (${problem}); ${way}`);
}
