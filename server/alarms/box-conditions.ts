import { bytesInWords } from '../protocol/backups.ts';
import type { Condition } from '../protocol/alarms.ts';
import type { ConditionChange } from './conditions.ts';

/** What the box's own health checks read: its backups and its disks, at one moment. */
export interface BoxReading {
  at: number;
  /** When the newest backup that counts was made; null when there is none. */
  lastGoodBackupAt: number | null;
  /** Since when backups are expected (the first start with backups), for a box that has none yet. */
  expectingSince: number;
  backupDir: {
    path: string;
    state: 'ok' | 'missing' | 'not-writable';
    /** Free space on the backup folder's disk (null when it is missing). */
    freeBytes: number | null;
  };
  /** About what the next backup will take. */
  backupBytes: number;
  dataDisk: { freeBytes: number; totalBytes: number };
}

export interface BoxLimits {
  /** No good backup for this long raises "no recent backup". */
  maxBackupAgeMs: number;
  /** Less free space on the data disk than either of these raises "disk nearly full". */
  minFreeBytes: number;
  minFreePercent: number;
}

export const defaultBoxLimits: BoxLimits = { maxBackupAgeMs: 36 * 3_600_000, minFreeBytes: 1024 ** 3, minFreePercent: 5 };

/** Space must come back this much above a limit before its alarm clears: a disk hovering at it is one alarm. */
const CLEAR_MARGIN = 1.1;

/** A backup folder must go this long without a fault before its alarm clears: a mount that comes and goes is one alarm. */
export const BACKUP_DIR_HOLD_MS = 5 * 60_000;

/**
 * The technical conditions of the edge box itself, not of a chair: no recent good backup, a
 * backup folder that cannot take one, a data disk filling up (raised while SQLite still has room,
 * so that someone frees space before the box stops acknowledging dots). Pure: each reading carries
 * its moment and its numbers.
 */
export class BoxConditions {
  readonly #on = new Set<Condition>();
  #backupDirFaultAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly limits: BoxLimits) {}

  /** After a restart: an alarm still open says its condition held. */
  assume(condition: Condition): void {
    this.#on.add(condition);
  }

  observe(r: BoxReading): ConditionChange[] {
    return [...this.#backupAge(r), ...this.#backupDir(r), ...this.#dataDisk(r)];
  }

  #backupAge({ at, lastGoodBackupAt, expectingSince }: BoxReading): ConditionChange[] {
    const hours = (ms: number) => `${Math.floor(ms / 3_600_000)} h`;
    if (lastGoodBackupAt !== null && at - lastGoodBackupAt <= this.limits.maxBackupAgeMs) {
      return this.#set('backup-stale', false, at, `a good backup ${hours(at - lastGoodBackupAt)} old`);
    }
    if (lastGoodBackupAt === null && at - expectingSince <= this.limits.maxBackupAgeMs) return [];
    const detail = lastGoodBackupAt === null
      ? `no good backup in ${hours(at - expectingSince)}`
      : `the last good backup is ${hours(at - lastGoodBackupAt)} old`;
    return this.#set('backup-stale', true, at, detail);
  }

  #backupDir({ at, backupDir, backupBytes }: BoxReading): ConditionChange[] {
    const fault = this.#backupDirFault(backupDir, backupBytes);
    if (fault) {
      this.#backupDirFaultAt = at;
      return this.#set('backup-dir-unusable', true, at, fault);
    }
    if ((backupDir.freeBytes ?? 0) < backupBytes * CLEAR_MARGIN || at - this.#backupDirFaultAt < BACKUP_DIR_HOLD_MS) return [];
    return this.#set('backup-dir-unusable', false, at, 'the backup folder can take a backup');
  }

  /** Why the folder cannot take the next backup; null when it can. */
  #backupDirFault(backupDir: BoxReading['backupDir'], backupBytes: number): string | null {
    if (backupDir.state === 'missing') return `the backup folder ${backupDir.path} is missing`;
    if (backupDir.state === 'not-writable') return `the backup folder ${backupDir.path} is not writable`;
    const free = backupDir.freeBytes ?? 0;
    if (free < backupBytes) return `the backup folder has ${bytesInWords(free)} free; a backup needs about ${bytesInWords(backupBytes)}`;
    return null;
  }

  #dataDisk({ at, dataDisk }: BoxReading): ConditionChange[] {
    const { freeBytes, totalBytes } = dataDisk;
    const percent = totalBytes > 0 ? (freeBytes / totalBytes) * 100 : 0;
    const below = (margin: number) => freeBytes < this.limits.minFreeBytes * margin || percent < this.limits.minFreePercent * margin;
    if (below(1)) {
      return this.#set('disk-low', true, at, `${bytesInWords(freeBytes)} free of ${bytesInWords(totalBytes)} (${Math.floor(percent)}%) on the data disk`);
    }
    if (below(CLEAR_MARGIN)) return [];
    return this.#set('disk-low', false, at, `${bytesInWords(freeBytes)} free on the data disk`);
  }

  #set(condition: Condition, on: boolean, at: number, detail: string): ConditionChange[] {
    if (this.#on.has(condition) === on) return [];
    if (on) this.#on.add(condition);
    else this.#on.delete(condition);
    return [{ condition, on, at, detail }];
  }
}
