import type { BreakService } from '../breaks/break-service.ts';
import type { Clock } from '../clock.ts';
import type { CoverageTracker } from '../coverage/tracker.ts';
import type { DeviceRegistry } from '../ingest/device-registry.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../log.ts';
import { BOX_SCOPE, type AlarmSettings, type AlarmView } from '../protocol/alarms.ts';
import { everyRound } from '../rounds.ts';
import type { Store } from '../store/index.ts';
import { AlarmBook, type AlarmActionResult, type AlarmChangeEvent } from './alarm-book.ts';
import { BoxConditions, defaultBoxLimits, type BoxLimits, type BoxReading } from './box-conditions.ts';
import { ChairConditions, type ConditionChange } from './conditions.ts';

export interface AlarmServiceOptions {
  /** How often time is let pass (real ms): offline and silence noticed, escalations made. */
  tickMs: number;
  /** When the box's backups and disks raise their technical alarms. */
  box: BoxLimits;
}

export const defaultAlarmService: AlarmServiceOptions = { tickMs: 500, box: defaultBoxLimits };

/** A sample older than this (resent after a reconnect) is history, not the chair's state now. */
const STALE_SAMPLE_MS = 10_000;

/**
 * Alarms at work: what the handpieces, the plans and the breaks report becomes conditions per
 * chair, conditions become alarms in the book, and every change of an alarm is stored with who
 * made it and announced to the screens.
 */
export class AlarmService {
  readonly book: AlarmBook;
  readonly #conditions = new Map<string, ChairConditions>();
  readonly #box: BoxConditions;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly hub: LiveHub,
    private readonly clock: Clock,
    registry: DeviceRegistry,
    coverage: CoverageTracker,
    breaks: BreakService,
    settings: AlarmSettings,
    options: AlarmServiceOptions,
    log: Logger,
  ) {
    let lastId = store.alarms.lastId();
    this.book = new AlarmBook(settings, () => ++lastId);
    this.book.restore(store.alarms.open());
    this.#box = new BoxConditions(options.box);
    // The conditions behind alarms still open held when the server stopped: they can clear now.
    for (const alarm of this.book.open()) {
      if (!alarm.conditionActive) continue;
      if (alarm.chairId === BOX_SCOPE) this.#box.assume(alarm.condition);
      else this.#of(alarm.chairId).assume(alarm.condition, alarm.lastAt);
    }
    const now = clock.now();
    for (const chair of store.chairs.list()) {
      const conditions = this.#of(chair.id);
      const device = store.devices.active(chair.id);
      if (device) conditions.device(registry.isOnline(device.id), now);
      const session = store.sessions.openForChair(chair.id);
      conditions.session(session !== undefined, now);
      if (session) conditions.onBreak(breaks.view(session.operatorId).current !== null, now);
    }

    hub.on('session', ({ session, change }) => {
      const conditions = this.#of(session.chairId);
      const at = clock.now();
      this.#apply(session.chairId, conditions.session(change === 'started', at));
      // An operator on a break brings it to this chair.
      if (change === 'started') this.#apply(session.chairId, conditions.onBreak(breaks.view(session.operatorId).current !== null, at));
    });
    // The operator taking over brings their own break state to the chair.
    hub.on('handover', ({ session, at }) => this.#apply(session.chairId, this.#of(session.chairId).onBreak(breaks.view(session.operatorId).current !== null, at)));
    hub.on('device', ({ chairId, online, at }) => this.#apply(chairId, this.#of(chairId).device(online, at)));
    hub.on('sample', (s) => {
      const now = clock.now();
      if (now - s.madeAt > STALE_SAMPLE_MS * clock.scale) return;
      this.#apply(s.chairId, this.#of(s.chairId).sample(s.madeAt, s.cycleHz, s.running, s.batteryPct));
    });
    hub.on('dots', ({ chairId, dots }) => {
      const plan = coverage.forChair(chairId)?.plan;
      if (!plan) return;
      const changes: ConditionChange[] = [];
      for (const dot of dots) changes.push(...this.#of(chairId).needles(dot.madeAt, dot.needles, plan.regions[dot.region]?.needles, dot.region));
      this.#apply(chairId, changes);
    });
    hub.on('guidance', (event) => {
      if (event.kind === 'needles') return; // followed dot by dot above, so that it also clears
      this.#apply(event.chairId, this.#of(event.chairId).seen(event.kind, event.at, event.message));
    });
    hub.on('break', (event) => {
      if (!event.chairId) return;
      const conditions = this.#of(event.chairId);
      const at = event.at;
      if (event.type === 'break') this.#apply(event.chairId, conditions.onBreak(true, at));
      else if (event.type === 'violation') this.#apply(event.chairId, conditions.violation(at, 'dots made during the break'));
      else if (event.type === 'served' || event.type === 'override' || event.type === 'limit-lifted') this.#apply(event.chairId, conditions.onBreak(false, at));
      else if (event.type === 'postponed') {
        this.#apply(event.chairId, conditions.onBreak(false, at));
        if (breaks.view(event.operatorId).postponesLeft === 0) {
          this.#apply(event.chairId, conditions.seen('postpone-limit', at, `${event.operatorId} has postponed this break as often as allowed`));
        }
      }
    });
    hub.on('incident', (incident) => {
      const condition = incident.kind === 'gap' ? 'seq-gap' : 'refused-messages';
      this.#apply(incident.chairId, this.#of(incident.chairId).seen(condition, incident.at, incident.detail));
    });

    this.#timer = everyRound(options.tickMs, 'the alarm tick', log, () => this.#tick());
  }

  /** What the box's health checks read (server/backup/box-health.ts): its alarms rise and clear. */
  box(reading: BoxReading): void {
    this.#apply(BOX_SCOPE, this.#box.observe(reading));
  }

  forChair(chairId: string): AlarmView[] {
    return this.book.forChair(chairId);
  }

  set settings(settings: AlarmSettings) {
    this.book.settings = settings;
  }

  acknowledge(id: number, by: string): AlarmActionResult {
    return this.#record(this.book.acknowledge(id, by, this.clock.now()));
  }

  silence(id: number, by: string, forMs: number): AlarmActionResult {
    return this.#record(this.book.silence(id, by, this.clock.now(), forMs));
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #of(chairId: string): ChairConditions {
    let conditions = this.#conditions.get(chairId);
    if (!conditions) this.#conditions.set(chairId, (conditions = new ChairConditions()));
    return conditions;
  }

  #apply(chairId: string, changes: readonly ConditionChange[]): void {
    for (const change of changes) {
      if (!change.on) {
        this.#save(this.book.clear(chairId, change.condition, change.at, change.detail));
        continue;
      }
      const events = this.book.raise(chairId, change.condition, change.at, change.detail, this.store.sessions.openForChair(chairId)?.operatorId ?? null);
      this.#save(events);
      // A repeat is no event, but its count and last time are kept and shown.
      const repeated = events.length === 0 ? this.book.forChair(chairId).find((a) => a.condition === change.condition) : undefined;
      if (repeated) {
        this.store.alarms.update(repeated);
        this.hub.emit('alarm', { chairId, alarm: repeated, change: 'repeated' });
      }
    }
  }

  #tick(): void {
    const now = this.clock.now();
    for (const [chairId, conditions] of this.#conditions) this.#apply(chairId, conditions.tick(now));
    this.#save(this.book.tick(now));
  }

  #record(result: AlarmActionResult): AlarmActionResult {
    if (result.ok) this.#save(result.events);
    return result;
  }

  #save(events: readonly AlarmChangeEvent[]): void {
    // Shown first, from the book: a disk that refuses the record must not hide the alarm.
    for (const { alarm, change } of events) this.hub.emit('alarm', { chairId: alarm.chairId, alarm, change });
    for (const { alarm, change, at, by, detail } of events) this.store.alarms.record(alarm, { change, at, by, detail });
  }
}
