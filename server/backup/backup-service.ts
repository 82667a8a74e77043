import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../log.ts';
import type { BackupEntry, BackupKind, BackupStatus } from '../protocol/backups.ts';
import type { Store } from '../store/index.ts';
import { takeBackupApart } from './backup-apart.ts';
import { readBox } from './box-health.ts';
import { listBackups, pruneBackups } from './catalog.ts';
import { sameDisk, statfsFreeSpace, type FreeSpaceReader } from './disk.ts';
import { nextAt, parseTimeOfDay } from './schedule.ts';
import { BackupError } from './take-backup.ts';

export interface BackupOptions {
  /** Local time of the nightly backup ("02:30", a quiet hour); null for none. */
  nightlyAt: string | null;
  /**
   * Sessions ending within this long of the first make one backup. Real time, not the clock's: it
   * spares the disk, so an accelerated demo does not back up every few seconds.
   */
  sessionEndDelayMs: number;
  /** How often the backups and disks are checked for the box's technical alarms (real ms). */
  checkEveryMs: number;
  freeSpace: FreeSpaceReader;
}

export const defaultBackups: BackupOptions = {
  nightlyAt: '02:30',
  sessionEndDelayMs: 3 * 60_000,
  checkEveryMs: 60_000,
  freeSpace: statfsFreeSpace,
};

/** Since when backups are expected: a new box is not "without a backup" before its first night. */
const EXPECTING_SINCE_KEY = 'backups.expectingSince';

/**
 * Backups in the running server: nightly, after sessions end, and on demand, one at a time; each
 * followed by the rotation and a check of the box's backups and disks, which also runs every minute.
 */
export class BackupService {
  #running: Promise<BackupEntry> | undefined;
  #lastError: { at: number; message: string } | null = null;
  #nextScheduledAt: number | null = null;
  #nightly: NodeJS.Timeout | undefined;
  #afterSessions: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;
  readonly #checks: NodeJS.Timeout;
  readonly #stop = new AbortController();
  readonly #expectingSince: number;
  readonly #unsubscribe: () => void;

  constructor(
    store: Store,
    hub: LiveHub,
    private readonly clock: Clock,
    private readonly alarms: Pick<AlarmService, 'box'>,
    private readonly log: Logger,
    private readonly dataDir: string,
    readonly dir: string,
    private readonly options: BackupOptions,
  ) {
    const since = Number(store.settings.get(EXPECTING_SINCE_KEY));
    this.#expectingSince = Number.isFinite(since) && since > 0 ? since : clock.now();
    if (this.#expectingSince !== since) store.settings.set(EXPECTING_SINCE_KEY, String(this.#expectingSince));

    this.#unsubscribe = hub.on('session', ({ change }) => {
      if (change !== 'ended' || this.#afterSessions) return;
      this.#afterSessions = setTimeout(() => {
        this.#afterSessions = undefined;
        this.#automatic('session-end');
      }, options.sessionEndDelayMs);
      this.#afterSessions.unref();
    });
    this.#scheduleNightly();
    this.#checks = setInterval(() => void this.check(), options.checkEveryMs);
    this.#checks.unref();
    void this.check();
  }

  /**
   * A backup now. Asked while one runs, a person gets that one (it is minutes old at most); the
   * triggers queue a new one behind it, since what they want saved may have come after it began.
   */
  backUp(kind: BackupKind, joinRunning = kind === 'manual'): Promise<BackupEntry> {
    if (this.#running && joinRunning) return this.#running;
    const next = (this.#running ?? Promise.resolve()).catch(() => undefined).then(() => this.#take(kind));
    this.#running = next;
    const settled = () => {
      if (this.#running === next) this.#running = undefined;
    };
    next.then(settled, settled);
    return next;
  }

  async status(): Promise<BackupStatus> {
    const backups = await listBackups(this.dir);
    const lastGood = backups[0] ?? null;
    let same: boolean | null;
    try {
      same = sameDisk(this.dir, this.dataDir);
    } catch {
      same = null;
    }
    const lastError = this.#lastError && (!lastGood || this.#lastError.at > Date.parse(lastGood.time)) ? this.#lastError : null;
    return { dir: this.dir, sameDisk: same, running: this.#running !== undefined, lastGood, backups, lastError, nextScheduledAt: this.#nextScheduledAt };
  }

  /** Reads the backups and disks and hands them to the alarms. */
  check(): Promise<void> {
    this.#checking ??= this.#check().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async #check(): Promise<void> {
    try {
      const places = { dataDir: this.dataDir, backupDir: this.dir, freeSpace: this.options.freeSpace };
      const reading = await readBox(places, this.clock.now(), this.#expectingSince);
      if (!this.#stop.signal.aborted) this.alarms.box(reading);
    } catch (error) {
      this.log.error({ err: error }, 'box health check failed');
    }
  }

  /** Stops the timers; a backup under way is stopped and its partial copy removed. */
  async close(): Promise<void> {
    this.#unsubscribe();
    clearInterval(this.#checks);
    clearTimeout(this.#nightly);
    clearTimeout(this.#afterSessions);
    this.#stop.abort();
    await this.#running?.catch(() => undefined);
    await this.#checking;
  }

  async #take(kind: BackupKind): Promise<BackupEntry> {
    const at = this.clock.now();
    try {
      const entry = await takeBackupApart({ dataDir: this.dataDir, backupDir: this.dir, kind, at }, this.#stop.signal);
      const removed = await pruneBackups(this.dir);
      this.#lastError = null;
      this.log.info({ backup: entry.path, kind, bytes: entry.size, removed }, 'backup made');
      return entry;
    } catch (error) {
      // Only our own messages reach the screens; anything else is logged whole.
      const message = error instanceof BackupError ? error.message : 'the backup failed: see the server log';
      this.#lastError = { at, message };
      this.log.error({ err: error, kind }, 'backup failed');
      throw error;
    } finally {
      if (!this.#stop.signal.aborted) await this.check();
    }
  }

  #automatic(kind: BackupKind): void {
    if (this.#stop.signal.aborted) return;
    this.backUp(kind).catch(() => undefined); // logged and shown in the status already
  }

  #scheduleNightly(): void {
    const time = this.options.nightlyAt === null ? undefined : parseTimeOfDay(this.options.nightlyAt);
    if (!time) return;
    const next = nextAt(this.clock.now(), time);
    this.#nextScheduledAt = next;
    // The clock runs faster than real time in accelerated demos: its night comes sooner.
    this.#nightly = setTimeout(() => {
      this.#automatic('scheduled');
      this.#scheduleNightly();
    }, (next - this.clock.now()) / this.clock.scale);
    this.#nightly.unref();
  }
}
