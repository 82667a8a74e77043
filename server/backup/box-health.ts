import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { BoxReading } from '../alarms/box-conditions.ts';
import { listBackups } from './catalog.ts';
import type { FreeSpaceReader } from './disk.ts';
import { bytesToCopy } from './take-backup.ts';

export interface BoxPlaces {
  dataDir: string;
  backupDir: string;
  freeSpace: FreeSpaceReader;
}

/**
 * Reads what the box's technical alarms are about: the newest good backup (whoever made it, the
 * server or `npm run backup`), whether the backup folder can take the next one, and the space left
 * on the data disk. The alarm rules themselves are pure (server/alarms/box-conditions.ts).
 */
export async function readBox(places: BoxPlaces, at: number, expectingSince: number): Promise<BoxReading> {
  const { dataDir, backupDir, freeSpace } = places;
  const [lastGood] = await listBackups(backupDir);
  const state = await folderState(backupDir);
  return {
    at,
    lastGoodBackupAt: lastGood ? Date.parse(lastGood.time) : null,
    expectingSince,
    backupDir: { path: backupDir, state, freeBytes: state === 'missing' ? null : freeSpace(backupDir).freeBytes },
    backupBytes: await bytesToCopy(dataDir),
    dataDisk: freeSpace(dataDir),
  };
}

async function folderState(dir: string): Promise<BoxReading['backupDir']['state']> {
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) return 'missing';
  try {
    await access(dir, constants.W_OK);
    return 'ok';
  } catch (error) {
    // Removed between the two looks: missing, not refused.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'not-writable';
  }
}
