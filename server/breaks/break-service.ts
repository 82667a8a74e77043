import type { Clock } from '../clock.ts';
import type { DeviceRegistry } from '../ingest/device-registry.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../log.ts';
import type { BreakPolicy, FatigueView } from '../protocol/breaks.ts';
import { InhibitReason } from '../protocol/v1.ts';
import { everyRound } from '../rounds.ts';
import type { Store } from '../store/index.ts';
import { localDay } from '../protocol/days.ts';
import { BreakEngine, type EngineEvent, type PostponeResult } from './engine.ts';

export interface BreakServiceOptions {
  /** How often time is let pass in the engine (real ms), so that breaks end without a sample. */
  tickMs: number;
  /** How often every operator's counters are saved (real ms); transitions are saved at once. */
  saveEveryMs: number;
}

/** Dots in the first moments of a break: the stroke in progress when the order went out. */
export const ORDER_GRACE_MS = 2_000;

/**
 * How long, in clock time, an order takes to reach the handpiece: longer on an accelerated clock.
 * Dots within it of a break's start or end are not judged violations.
 */
export const orderGraceMs = (clockScale: number) => Math.max(ORDER_GRACE_MS, 50 * clockScale);

export const defaultBreakService: BreakServiceOptions = { tickMs: 250, saveEveryMs: 5_000 };

/**
 * The break engine at work: handpiece activity of each chair goes to the operator of its open
 * session, the engine's decisions become inhibit and release on that operator's chair, and
 * every decision is logged and the engine's state saved, so that a restart keeps a break going.
 */
export class BreakService {
  readonly engine: BreakEngine;
  /** The open session at each chair, and who works it. */
  readonly #sessionAt = new Map<string, { sessionId: string; operatorId: string }>();
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: Store,
    private readonly registry: DeviceRegistry,
    private readonly hub: LiveHub,
    private readonly clock: Clock,
    private readonly log: Logger,
    policy: BreakPolicy,
    options: BreakServiceOptions,
  ) {
    this.engine = new BreakEngine(policy, localDay, orderGraceMs(clock.scale));
    for (const { operatorId, state } of store.breaks.states()) this.engine.restore(operatorId, state);
    for (const session of store.sessions.listOpen()) this.#sessionAt.set(session.chairId, { sessionId: session.id, operatorId: session.operatorId });
    // A break that was running when the server stopped is enforced again at once (or ends, if it is over).
    this.#handle(this.engine.tick(clock.now()));
    for (const [chairId, { operatorId }] of this.#sessionAt) this.#enforce(chairId, this.engine.view(operatorId, clock.now()));

    hub.on('sample', (s) => this.#apply(s.chairId, (op) => this.engine.sample(op, s.madeAt, s.running)));
    hub.on('dots', ({ chairId, dots }) =>
      this.#apply(chairId, (op) => {
        const events: EngineEvent[] = [];
        const open = this.#sessionAt.get(chairId)?.sessionId;
        for (const dot of dots) {
          // A dot of an earlier session, resent late, is not this operator's work now.
          if (dot.sessionId !== open) continue;
          const verdict = this.engine.dot(op, dot.madeAt);
          if (verdict.violation) store.breaks.flagViolation(dot, op);
          events.push(...verdict.events);
        }
        return events;
      }),
    );
    hub.on('session', ({ session, change }) => {
      if (change === 'started') {
        this.#sessionAt.set(session.chairId, { sessionId: session.id, operatorId: session.operatorId });
        this.#handle(this.engine.sessionStarted(session.operatorId, session.startedAt));
        // The operator brings their break to this chair.
        this.#enforce(session.chairId, this.engine.view(session.operatorId, session.startedAt));
      } else {
        this.#sessionAt.delete(session.chairId);
        this.#handle(this.engine.sessionEnded(session.operatorId, session.endedAt ?? clock.now()));
      }
    });
    // The one leaving stops accruing here; the one taking over brings their own break clock.
    hub.on('handover', ({ session, from, at }) => {
      this.#sessionAt.set(session.chairId, { sessionId: session.id, operatorId: session.operatorId });
      this.#handle(this.engine.sessionEnded(from, at));
      this.#handle(this.engine.sessionStarted(session.operatorId, at));
      this.#enforce(session.chairId, this.engine.view(session.operatorId, at));
    });

    this.#timers.push(
      everyRound(options.tickMs, 'the break tick', log, () => this.#handle(this.engine.tick(clock.now()))),
      everyRound(options.saveEveryMs, 'saving the operators\' break state', log, () => this.#saveAll()),
    );
  }

  operatorAt(chairId: string): string | undefined {
    return this.#sessionAt.get(chairId)?.operatorId;
  }

  view(operatorId: string): FatigueView {
    return this.engine.view(operatorId, this.clock.now());
  }

  set policy(policy: BreakPolicy) {
    this.engine.policy = policy;
  }

  postpone(operatorId: string): PostponeResult {
    const { result, events } = this.engine.postpone(operatorId, this.clock.now());
    this.#handle(events);
    return result;
  }

  /** Signs of fatigue in the operator's work: the engine brings the micro-pause forward if the policy says so. */
  fatigue(operatorId: string, reason: string): void {
    this.#handle(this.engine.fatigue(operatorId, this.clock.now(), reason));
  }

  override(operatorId: string, reason: string): boolean {
    const { ok, events } = this.engine.override(operatorId, this.clock.now(), reason);
    this.#handle(events);
    return ok;
  }

  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#saveAll();
  }

  #apply(chairId: string, step: (operatorId: string) => EngineEvent[]): void {
    const operatorId = this.#sessionAt.get(chairId)?.operatorId;
    if (operatorId) this.#handle(step(operatorId));
  }

  #handle(events: readonly EngineEvent[]): void {
    if (events.length === 0) return;
    // The handpieces are told first: a break stops the needle even when the disk refuses its log entry.
    for (const event of events) {
      if (event.type === 'warning' || event.type === 'natural') continue;
      // An operator is normally at one chair; at two (two sessions open), the break holds at both.
      for (const chair of this.#chairsOf(event.operatorId)) this.#enforce(chair, this.engine.view(event.operatorId, event.at));
    }
    const touched = new Set<string>();
    for (const event of events) {
      const chairId = this.#chairsOf(event.operatorId)[0];
      const logged = this.store.breaks.addEvent({ ...event, chairId: chairId ?? null });
      touched.add(event.operatorId);
      this.hub.emit('break', logged);
      if (event.type !== 'warning') this.log.info({ operatorId: event.operatorId, chairId, type: event.type, kind: event.kind }, 'break');
    }
    this.#save([...touched]);
  }

  /** Inhibits the chair while its operator is on a break; releases it when they are not. */
  #enforce(chairId: string, view: FatigueView): void {
    if (view.current) this.registry.inhibit(chairId, { reason: InhibitReason.break, ...(view.current.until !== null && { until: view.current.until }) });
    else this.registry.release(chairId, InhibitReason.break);
  }

  #chairsOf(operatorId: string): string[] {
    return [...this.#sessionAt].filter(([, at]) => at.operatorId === operatorId).map(([chairId]) => chairId);
  }

  #save(operatorIds: readonly string[]): void {
    const entries = operatorIds.flatMap((operatorId) => {
      const state = this.engine.exportState(operatorId);
      return state ? [{ operatorId, state }] : [];
    });
    this.store.breaks.save(entries, this.clock.now());
  }

  #saveAll(): void {
    this.#save(this.engine.operators());
  }
}
