import { localDay } from '../protocol/days.ts';
import type { BreakEventType, BreakKind, BreakPolicy, FatigueView } from '../protocol/breaks.ts';

/** What the engine decided, at the moment it decided it. */
export interface EngineEvent {
  type: BreakEventType;
  operatorId: string;
  kind: BreakKind;
  at: number;
  ms: number | null;
  detail: string;
}

type Timed = 'micro' | 'rest';

/** One operator's fatigue, as plain data: it is persisted as it is and restored after a restart. */
export interface OperatorState {
  day: string;
  needleMsToday: number;
  /** Needle time since the last micro-pause (taken, natural or enforced), and since the last rest. */
  sinceMicro: number;
  sinceRest: number;
  running: boolean;
  lastAt: number | null;
  /** When the needle stopped; null while it runs or before it ever ran. */
  pauseSince: number | null;
  /** What the current pause has already counted as. */
  naturalTaken: Timed | null;
  /** `${kind}:${lead}` of the warnings given for the coming breaks. */
  warned: string[];
  current: { kind: BreakKind; startedAt: number; until: number | null; violations: number } | null;
  /** The break before, so that a dot made in it but delivered after it is still judged by it. */
  lastBreak?: { startedAt: number; endedAt: number } | null;
  /** A break the operator put off: how often, and when it is due again. */
  pending: { kind: Timed; count: number; dueAt: number | null } | null;
  postponesToday: number;
  violationsToday: number;
  sessionStartedAt: number | null;
  /** Extra time granted by the supervisor on the daily and session limits. */
  dailyExtraMs: number;
  sessionExtraMs: number;
}

/** Frozen, so that it stays empty whoever holds it. */
const NO_EVENTS = Object.freeze([]) as unknown as EngineEvent[];

export type PostponeResult = { ok: true; byMs: number } | { ok: false; reason: string };

/** Longer silences between samples are a device gone quiet, not needle time. */
export const MAX_SAMPLE_GAP_MS = 5_000;
/** What a supervisor's override of the daily or session limit grants. */
export const LIMIT_OVERRIDE_MS = 60 * 60_000;

function startOfNextDay(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/**
 * The break engine: needle activity in, enforced breaks out. Fatigue is the operator's, so all
 * state is per operator, whichever chair they work at. Pure: every input carries its own time,
 * the engine reads no clock, so a test drives an eight-hour day second by second.
 */
export class BreakEngine {
  readonly #operators = new Map<string, OperatorState>();
  readonly #events: EngineEvent[] = [];

  constructor(
    public policy: BreakPolicy,
    private readonly dayOf: (at: number) => string = localDay,
    /** Dots this soon after a break began are the stroke the order interrupted, not a violation. */
    private readonly graceMs = 0,
  ) {}

  /** A telemetry sample of the handpiece the operator is working with. */
  sample(operatorId: string, at: number, running: boolean): EngineEvent[] {
    const op = this.#state(operatorId, at);
    // A sample resent after a reconnect tells of a past already counted.
    if (op.lastAt !== null && at < op.lastAt) return [];
    if (op.running && op.lastAt !== null) {
      const worked = Math.min(Math.max(0, at - op.lastAt), MAX_SAMPLE_GAP_MS);
      op.needleMsToday += worked;
      if (!op.current) {
        op.sinceMicro += worked;
        op.sinceRest += worked;
      }
    }
    if (running && !op.running) {
      // The pause lasted until this sample: judged before the needle counts as running again.
      op.lastAt = at;
      this.#evaluate(operatorId, op, at);
      op.pauseSince = null;
      op.naturalTaken = null;
    } else if (!running && (op.running || op.lastAt === null)) {
      op.pauseSince = at;
      // A new pause has counted as no break yet, even if the needle ran through the end of the last one.
      op.naturalTaken = null;
    }
    op.running = running;
    op.lastAt = at;
    this.#evaluate(operatorId, op, at);
    return this.#drain();
  }

  /** A dot the operator made; during a break it is a violation. Says whether it was. */
  dot(operatorId: string, at: number): { violation: boolean; events: EngineEvent[] } {
    const op = this.#state(operatorId, at);
    // A dot delivered late does not take the engine's time back (a day back, a break back).
    this.#evaluate(operatorId, op, Math.max(at, op.lastAt ?? at));
    // A dot made before the break began (delivered late), or while the order was on its way, is no violation.
    const current = op.current && at >= op.current.startedAt + this.graceMs ? op.current : null;
    if (current) {
      op.violationsToday += 1;
      current.violations += 1;
      if (current.violations === 1) this.#emit('violation', operatorId, current.kind, at, null, 'dots made during the break');
      return { violation: true, events: this.#drain() };
    }
    // Made during the break just over, delivered after its end: a violation all the same. Near the
    // end the grace applies too: the release and the handpiece's clock may disagree by as much.
    const last = op.lastBreak;
    const late = !op.current && last != null && at >= last.startedAt + this.graceMs && at < last.endedAt - this.graceMs;
    if (late) op.violationsToday += 1;
    return { violation: late, events: this.#drain() };
  }

  /** Time passes: breaks end, pauses become natural breaks, postponed breaks fall due. */
  tick(at: number): EngineEvent[] {
    for (const [operatorId, op] of this.#operators) this.#evaluate(operatorId, op, at);
    return this.#drain();
  }

  sessionStarted(operatorId: string, at: number): EngineEvent[] {
    const op = this.#state(operatorId, at);
    op.sessionStartedAt = at;
    op.sessionExtraMs = 0;
    if (op.current?.kind === 'session') this.#lift(operatorId, op, at, 'a new session');
    op.warned = op.warned.filter((w) => !w.startsWith('session:'));
    this.#evaluate(operatorId, op, at);
    return this.#drain();
  }

  sessionEnded(operatorId: string, at: number): EngineEvent[] {
    const op = this.#state(operatorId, at);
    op.sessionStartedAt = null;
    if (op.current?.kind === 'session') this.#lift(operatorId, op, at, 'the session ended');
    return this.#drain();
  }

  /** The operator puts off the break in force; each further postpone of it is half as long. */
  postpone(operatorId: string, at: number): { result: PostponeResult; events: EngineEvent[] } {
    const op = this.#state(operatorId, at);
    this.#evaluate(operatorId, op, at);
    const current = op.current;
    if (!current || (current.kind !== 'micro' && current.kind !== 'rest')) {
      return { result: { ok: false, reason: current ? 'a limit cannot be postponed; ask the supervisor' : 'no break to postpone' }, events: this.#drain() };
    }
    const count = op.pending?.kind === current.kind ? op.pending.count : 0;
    if (count >= this.policy.maxPostpones) {
      return { result: { ok: false, reason: `this break was postponed ${count} time(s) already` }, events: this.#drain() };
    }
    const byMs = Math.round(this.policy.postponeMs / 2 ** count);
    this.#end(op, at);
    op.pending = { kind: current.kind, count: count + 1, dueAt: at + byMs };
    // Put-off rest is not rest: the postpone counts against the day's needle time.
    op.needleMsToday += byMs;
    op.postponesToday += 1;
    // Warned afresh for the postponed break, but only with leads shorter than the postpone.
    op.warned = [
      ...op.warned.filter((w) => !w.startsWith(`${current.kind}:`)),
      ...this.policy.warnBeforeMs.filter((lead) => lead >= byMs).map((lead) => `${current.kind}:${lead}`),
    ];
    this.#emit('postponed', operatorId, current.kind, at, byMs, `postpone ${count + 1} of ${this.policy.maxPostpones}`);
    this.#evaluate(operatorId, op, at);
    return { result: { ok: true, byMs }, events: this.#drain() };
  }

  /**
   * The work shows signs of fatigue (`reason` says which): with the clinic's response set to bring
   * breaks forward, the micro-pause starts now instead of when its needle time is up, provided half
   * of that needle time has passed since the last one. While the signs last, micro-pauses come
   * twice as often; nothing else changes.
   */
  fatigue(operatorId: string, at: number, reason: string): EngineEvent[] {
    if (this.policy.fatigueResponse !== 'break') return [];
    const op = this.#state(operatorId, at);
    this.#evaluate(operatorId, op, at);
    if (!op.current && op.sinceMicro >= this.policy.microEveryMs / 2) {
      this.#start(operatorId, op, 'micro', at, at + this.policy.microDurationMs, `brought forward: ${reason}`);
    }
    return this.#drain();
  }

  /** The supervisor lifts the break or limit in force, for a written reason. */
  override(operatorId: string, at: number, reason: string): { ok: boolean; events: EngineEvent[] } {
    const op = this.#state(operatorId, at);
    this.#evaluate(operatorId, op, at);
    const current = op.current;
    if (!current) return { ok: false, events: this.#drain() };
    if (current.kind === 'daily') op.dailyExtraMs += LIMIT_OVERRIDE_MS;
    if (current.kind === 'session') op.sessionExtraMs += LIMIT_OVERRIDE_MS;
    if (current.kind === 'micro' || current.kind === 'rest') this.#reset(op, current.kind);
    // The granted time ends in a limit of its own: warned afresh before it.
    else op.warned = op.warned.filter((w) => !w.startsWith(`${current.kind}:`));
    this.#end(op, at);
    this.#emit('override', operatorId, current.kind, at, null, reason);
    return { ok: true, events: this.#drain() };
  }

  /** How the operator stands; one the engine has not met yet stands fresh (and is not kept). */
  view(operatorId: string, at: number): FatigueView {
    const op = this.#operators.get(operatorId) ?? this.#fresh(at);
    const next = this.#next(op);
    const lead = next ? `${next.kind}:` : '';
    const pendingCount = op.pending?.count ?? 0;
    const kindInForce = op.current?.kind ?? next?.kind;
    return {
      operatorId,
      state: op.current ? 'on-break' : 'working',
      current: op.current && { kind: op.current.kind, startedAt: op.current.startedAt, until: op.current.until, violations: op.current.violations },
      next: next && { kind: next.kind, workLeftMs: next.workLeftMs, dueAt: next.dueAt },
      warned: next !== null && op.warned.some((w) => w.startsWith(lead)),
      postponesLeft: kindInForce === 'micro' || kindInForce === 'rest' ? this.policy.maxPostpones - (op.pending?.kind === kindInForce ? pendingCount : 0) : 0,
      postponedToday: op.postponesToday,
      violationsToday: op.violationsToday,
      needleMsToday: op.needleMsToday,
    };
  }

  /** Whether the operator is on a break (or at a limit) now; cheap enough for every sample. */
  onBreak(operatorId: string): boolean {
    return this.#operators.get(operatorId)?.current != null;
  }

  operators(): string[] {
    return [...this.#operators.keys()];
  }

  exportState(operatorId: string): OperatorState | undefined {
    const op = this.#operators.get(operatorId);
    return op && structuredClone(op);
  }

  restore(operatorId: string, state: OperatorState): void {
    this.#operators.set(operatorId, structuredClone(state));
  }

  #state(operatorId: string, at: number): OperatorState {
    let op = this.#operators.get(operatorId);
    if (!op) {
      op = this.#fresh(at);
      this.#operators.set(operatorId, op);
    }
    return op;
  }

  #fresh(at: number): OperatorState {
    return {
      day: this.dayOf(at), needleMsToday: 0, sinceMicro: 0, sinceRest: 0, running: false, lastAt: null,
      pauseSince: null, naturalTaken: null, warned: [], current: null, pending: null, postponesToday: 0,
      violationsToday: 0, sessionStartedAt: null, dailyExtraMs: 0, sessionExtraMs: 0,
    };
  }

  /** The coming break: a postponed one at its moment, else whichever of micro and rest needs less work. */
  #next(op: OperatorState): { kind: BreakKind; workLeftMs: number | null; dueAt: number | null } | null {
    if (op.current) return null;
    const microLeft = this.policy.microEveryMs - op.sinceMicro;
    const restLeft = this.policy.restEveryMs - op.sinceRest;
    // A postponed break comes at its moment, unless the rest falls due first: putting off a
    // micro-pause never puts off the rest.
    if (op.pending?.dueAt != null && (op.pending.kind === 'rest' || restLeft > 0)) {
      return { kind: op.pending.kind, workLeftMs: null, dueAt: op.pending.dueAt };
    }
    // A rest break due as soon as the micro-pause takes its place: it is the longer rest.
    return restLeft <= microLeft || restLeft <= 0
      ? { kind: 'rest', workLeftMs: restLeft, dueAt: null }
      : { kind: 'micro', workLeftMs: microLeft, dueAt: null };
  }

  #evaluate(operatorId: string, op: OperatorState, at: number): void {
    const day = this.dayOf(at);
    if (day !== op.day) {
      op.day = day;
      op.needleMsToday = 0;
      op.postponesToday = 0;
      op.violationsToday = 0;
      op.dailyExtraMs = 0;
      op.warned = op.warned.filter((w) => !w.startsWith('daily:'));
      if (op.current?.kind === 'daily') this.#lift(operatorId, op, at, 'a new day');
      // A night away from a needle last seen stopped is a rest, whatever the handpiece said of it since.
      if (!op.running && op.pauseSince !== null && op.naturalTaken !== 'rest') {
        this.#reset(op, 'rest');
        op.naturalTaken = 'rest';
        this.#emit('natural', operatorId, 'rest', at, at - op.pauseSince, 'a new day: the night was a rest');
      }
    }

    if (op.current) {
      if (op.current.until === null || at < op.current.until) return;
      const { kind, until } = op.current;
      this.#end(op, until);
      if (kind === 'micro' || kind === 'rest') {
        this.#reset(op, kind);
        // The pause that goes on after the break is that break, not a natural one on top of it.
        op.naturalTaken = kind;
      }
      this.#emit('served', operatorId, kind, until, null, 'break over: the handpiece is released');
    }

    // A pause as long as a break is that break, taken: its timer starts again. The pause is as
    // long as the handpiece has said so (its last sample), not as the server's clock: a handpiece
    // gone quiet may be working offline, and its resent samples will tell.
    if (!op.running && op.pauseSince !== null && op.lastAt !== null) {
      const paused = op.lastAt - op.pauseSince;
      if (paused >= this.policy.restDurationMs && op.naturalTaken !== 'rest') {
        this.#reset(op, 'rest');
        op.naturalTaken = 'rest';
        this.#emit('natural', operatorId, 'rest', op.lastAt, paused, 'the needle rested as long as a rest break');
      } else if (paused >= this.policy.microDurationMs && op.naturalTaken === null) {
        this.#reset(op, 'micro');
        op.naturalTaken = 'micro';
        this.#emit('natural', operatorId, 'micro', op.lastAt, paused, 'the needle rested as long as a micro-pause');
      }
    }

    const sessionEnd = op.sessionStartedAt === null ? null : op.sessionStartedAt + this.policy.maxSessionMs + op.sessionExtraMs;
    if (sessionEnd !== null) {
      this.#warn(operatorId, op, 'session', sessionEnd - at, at);
      if (at >= sessionEnd) return this.#start(operatorId, op, 'session', at, null);
    }
    const dailyLeft = this.policy.dailyNeedleMs + op.dailyExtraMs - op.needleMsToday;
    this.#warn(operatorId, op, 'daily', dailyLeft, at);
    if (dailyLeft <= 0) return this.#start(operatorId, op, 'daily', at, startOfNextDay(at));

    const next = this.#next(op)!;
    const left = next.workLeftMs ?? next.dueAt! - at;
    this.#warn(operatorId, op, next.kind, left, at);
    if (left <= 0) {
      const kind = next.kind as Timed;
      this.#start(operatorId, op, kind, at, at + (kind === 'micro' ? this.policy.microDurationMs : this.policy.restDurationMs));
    }
  }

  /** The tightest warning lead not yet given for this break, once `left` is within it. */
  #warn(operatorId: string, op: OperatorState, kind: BreakKind, left: number, at: number): void {
    if (left <= 0) return;
    const leads = this.policy.warnBeforeMs.filter((lead) => left <= lead && !op.warned.includes(`${kind}:${lead}`));
    if (leads.length === 0) return;
    for (const lead of leads) op.warned.push(`${kind}:${lead}`);
    const lead = Math.min(...leads);
    this.#emit('warning', operatorId, kind, at, lead, `${Math.round(lead / 60_000) || '<1'} min before the break`);
  }

  #start(operatorId: string, op: OperatorState, kind: BreakKind, at: number, until: number | null, why?: string): void {
    op.current = { kind, startedAt: at, until, violations: 0 };
    if (op.pending) op.pending.dueAt = null;
    const detail = why ?? (until === null ? 'the handpiece stops until the supervisor lifts the limit' : 'the handpiece stops for the break');
    this.#emit('break', operatorId, kind, at, until === null ? null : until - at, detail);
  }

  /** The break in force ends at `at`; it is remembered for dots made in it that arrive later. */
  #end(op: OperatorState, at: number): void {
    if (op.current) op.lastBreak = { startedAt: op.current.startedAt, endedAt: at };
    op.current = null;
  }

  #lift(operatorId: string, op: OperatorState, at: number, why: string): void {
    const kind = op.current!.kind;
    this.#end(op, at);
    this.#emit('limit-lifted', operatorId, kind, at, null, why);
  }

  /** A break of `kind` was had: a rest counts as a micro-pause too. */
  #reset(op: OperatorState, kind: Timed): void {
    op.sinceMicro = 0;
    if (kind === 'rest') op.sinceRest = 0;
    if (op.pending && (op.pending.kind === kind || kind === 'rest')) op.pending = null;
    op.warned = op.warned.filter((w) => !w.startsWith('micro:') && (kind !== 'rest' || !w.startsWith('rest:')));
  }

  #emit(type: BreakEventType, operatorId: string, kind: BreakKind, at: number, ms: number | null, detail: string): void {
    this.#events.push({ type, operatorId, kind, at, ms, detail });
  }

  #drain(): EngineEvent[] {
    // Most samples decide nothing: they get the one empty answer, not a new array fifty times a second.
    return this.#events.length === 0 ? NO_EVENTS : this.#events.splice(0);
  }
}
