import { CONDITIONS, type AlarmChange, type AlarmSettings, type AlarmView, type Condition } from '../protocol/alarms.ts';

export interface AlarmChangeEvent {
  alarm: AlarmView;
  change: AlarmChange;
  at: number;
  by: string | null;
  detail: string;
}

export type AlarmActionResult = { ok: true; events: AlarmChangeEvent[] } | { ok: false; reason: string };

/**
 * Every open alarm of the clinic and the rules of its life: raised while its condition holds, one
 * alarm per condition per chair (a repeat updates it), acknowledged by a person, silenced for a
 * bounded time, latched after its condition cleared until acknowledged (high priority only),
 * escalated when a high one goes unacknowledged. Pure: the caller gives the time and keeps the
 * alarms it is handed back (ids come from `nextId`).
 */
export class AlarmBook {
  readonly #open = new Map<string, AlarmView>();

  constructor(
    public settings: AlarmSettings,
    private readonly nextId: () => number,
  ) {}

  /** Alarms still open (active or latched), for a restart. */
  restore(alarms: readonly AlarmView[]): void {
    for (const alarm of alarms) if (alarm.state !== 'closed') this.#open.set(key(alarm.chairId, alarm.condition), { ...alarm });
  }

  open(): AlarmView[] {
    return [...this.#open.values()];
  }

  forChair(chairId: string): AlarmView[] {
    return this.open().filter((a) => a.chairId === chairId);
  }

  raise(chairId: string, condition: Condition, at: number, detail: string, operatorId: string | null): AlarmChangeEvent[] {
    const existing = this.#open.get(key(chairId, condition));
    if (existing) {
      const wasActive = existing.conditionActive;
      Object.assign(existing, { conditionActive: true, state: 'active', lastAt: at, repeats: existing.repeats + 1, detail });
      // A condition that holds on is one alarm quietly kept current; only a return after clearing is news.
      return wasActive ? [] : [this.#event(existing, 'repeated', at, null, detail)];
    }
    const alarm: AlarmView = {
      id: this.nextId(), chairId, condition, priority: CONDITIONS[condition].priority, state: 'active', conditionActive: true,
      detail, operatorId, raisedAt: at, lastAt: at, repeats: 0, acknowledgedBy: null, acknowledgedAt: null,
      silencedUntil: null, escalated: false, closedAt: null,
    };
    this.#open.set(key(chairId, condition), alarm);
    return [this.#event(alarm, 'raised', at, null, detail)];
  }

  /** The condition no longer holds: a high alarm nobody acknowledged latches; anything else closes. */
  clear(chairId: string, condition: Condition, at: number, detail: string): AlarmChangeEvent[] {
    const alarm = this.#open.get(key(chairId, condition));
    if (!alarm || !alarm.conditionActive) return [];
    alarm.conditionActive = false;
    if (alarm.priority === 'high' && alarm.acknowledgedAt === null) {
      alarm.state = 'latched';
      return [this.#event(alarm, 'latched', at, null, detail)];
    }
    return [this.#event(alarm, 'condition-cleared', at, null, detail), ...this.#close(alarm, at)];
  }

  acknowledge(id: number, by: string, at: number): AlarmActionResult {
    const alarm = this.#find(id);
    if (!alarm) return { ok: false, reason: `alarm ${id} is not open` };
    if (alarm.acknowledgedAt !== null) return { ok: true, events: [] };
    Object.assign(alarm, { acknowledgedBy: by, acknowledgedAt: at, escalated: false });
    const events = [this.#event(alarm, 'acknowledged', at, by, '')];
    if (!alarm.conditionActive) events.push(...this.#close(alarm, at));
    return { ok: true, events };
  }

  silence(id: number, by: string, at: number, forMs: number): AlarmActionResult {
    const alarm = this.#find(id);
    if (!alarm) return { ok: false, reason: `alarm ${id} is not open` };
    const ms = Math.min(forMs, this.settings.maxSilenceMs);
    alarm.silencedUntil = at + ms;
    return { ok: true, events: [this.#event(alarm, 'silenced', at, by, `for ${Math.round(ms / 60_000)} min`)] };
  }

  /** Unacknowledged high alarms past the delay escalate (unless silenced); silences run out. */
  tick(at: number): AlarmChangeEvent[] {
    const events: AlarmChangeEvent[] = [];
    for (const alarm of this.#open.values()) {
      if (alarm.silencedUntil !== null && at >= alarm.silencedUntil) alarm.silencedUntil = null;
      const due = alarm.priority === 'high' && alarm.acknowledgedAt === null && !alarm.escalated && alarm.silencedUntil === null;
      if (due && at - alarm.raisedAt >= this.settings.escalateAfterMs) {
        alarm.escalated = true;
        events.push(this.#event(alarm, 'escalated', at, null, `unacknowledged for ${Math.round((at - alarm.raisedAt) / 1000)} s`));
      }
    }
    return events;
  }

  #find(id: number): AlarmView | undefined {
    return this.open().find((a) => a.id === id);
  }

  #close(alarm: AlarmView, at: number): AlarmChangeEvent[] {
    Object.assign(alarm, { state: 'closed', closedAt: at, escalated: false });
    this.#open.delete(key(alarm.chairId, alarm.condition));
    return [this.#event(alarm, 'closed', at, null, '')];
  }

  #event(alarm: AlarmView, change: AlarmChange, at: number, by: string | null, detail: string): AlarmChangeEvent {
    return { alarm: { ...alarm }, change, at, by, detail };
  }
}

function key(chairId: string, condition: Condition): string {
  return `${chairId}|${condition}`;
}
