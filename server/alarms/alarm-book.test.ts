import { describe, expect, it } from 'vitest';
import { CONDITION_IDS, CONDITIONS, defaultAlarmSettings, type AlarmView, type Condition } from '../protocol/alarms.ts';
import { AlarmBook, type AlarmActionResult, type AlarmChangeEvent } from './alarm-book.ts';

/** The book reads no clock: every call carries its moment, in ms. */
const S = 1_000;
const MIN = 60 * S;
const ESCALATE = defaultAlarmSettings.escalateAfterMs;

/** A book with the default settings and ids 1, 2, 3… */
function book(settings = defaultAlarmSettings): AlarmBook {
  let n = 0;
  return new AlarmBook({ ...settings }, () => ++n);
}

/** An event as the tests compare it: what happened to which alarm, when, by whom. */
const brief = (events: AlarmChangeEvent[]) => events.map(({ alarm, change, at, by }) => ({ id: alarm.id, change, at, by }));
const ev = (id: number, change: AlarmChangeEvent['change'], at: number, by: string | null = null) => ({ id, change, at, by });

/** The events of an action that must succeed. */
function ok(result: AlarmActionResult): AlarmChangeEvent[] {
  if (!result.ok) throw new Error(`expected success, got: ${result.reason}`);
  return result.events;
}

/** Ticks every second at [from, to). */
function ticks(b: AlarmBook, from: number, to: number): AlarmChangeEvent[] {
  const events: AlarmChangeEvent[] = [];
  for (let at = from; at < to; at += S) events.push(...b.tick(at));
  return events;
}

const only = (b: AlarmBook): AlarmView => {
  const open = b.open();
  expect(open).toHaveLength(1);
  return open[0]!;
};

// One condition of each priority, as the protocol gives them.
const HIGH: Condition = 'cycle-out-of-band';
const MEDIUM: Condition = 'device-offline';
const LOW: Condition = 'battery-low';

describe('raising', () => {
  it('the conditions used here have the priorities the tests assume', () => {
    expect([CONDITIONS[HIGH].priority, CONDITIONS[MEDIUM].priority, CONDITIONS[LOW].priority]).toEqual(['high', 'medium', 'low']);
  });

  it('raises one active alarm with the condition\'s own priority, for every condition', () => {
    const b = book();
    for (const [i, condition] of CONDITION_IDS.entries()) {
      const events = b.raise('chair-1', condition, i * S, `detail ${i}`, 'op-1');
      expect(brief(events)).toEqual([ev(i + 1, 'raised', i * S)]);
      expect(events[0]!.detail).toBe(`detail ${i}`);
      expect(events[0]!.alarm).toEqual({
        id: i + 1, chairId: 'chair-1', condition, priority: CONDITIONS[condition].priority, state: 'active', conditionActive: true,
        detail: `detail ${i}`, operatorId: 'op-1', raisedAt: i * S, lastAt: i * S, repeats: 0, acknowledgedBy: null,
        acknowledgedAt: null, silencedUntil: null, escalated: false, closedAt: null,
      });
    }
    expect(b.open()).toHaveLength(CONDITION_IDS.length);
  });

  it('raising again while the condition holds updates the one alarm quietly: lastAt, repeats and detail, no event', () => {
    const b = book();
    b.raise('chair-1', LOW, 0, 'battery at 14%', 'op-1');
    expect(b.raise('chair-1', LOW, 10 * S, 'battery at 12%', 'op-1')).toEqual([]);
    expect(b.raise('chair-1', LOW, 20 * S, 'battery at 10%', 'op-1')).toEqual([]);
    expect(only(b)).toMatchObject({ id: 1, state: 'active', raisedAt: 0, lastAt: 20 * S, repeats: 2, detail: 'battery at 10%' });
  });

  it('one alarm per chair and condition: the same condition at another chair is another alarm', () => {
    const b = book();
    expect(brief(b.raise('chair-1', MEDIUM, 0, '', 'op-1'))).toEqual([ev(1, 'raised', 0)]);
    expect(brief(b.raise('chair-2', MEDIUM, S, '', 'op-2'))).toEqual([ev(2, 'raised', S)]);
    expect(brief(b.raise('chair-1', LOW, 2 * S, '', 'op-1'))).toEqual([ev(3, 'raised', 2 * S)]);
    expect(b.forChair('chair-1').map((a) => a.id)).toEqual([1, 3]);
    expect(b.forChair('chair-2').map((a) => a.id)).toEqual([2]);
    expect(b.forChair('chair-3')).toEqual([]);
  });

  it('an event carries a copy of the alarm as it was: later changes do not rewrite it', () => {
    const b = book();
    const [raised] = b.raise('chair-1', HIGH, 0, 'first', 'op-1');
    b.raise('chair-1', HIGH, 5 * S, 'second', 'op-1');
    expect(raised!.alarm).toMatchObject({ detail: 'first', lastAt: 0, repeats: 0 });
  });
});

describe('clearing', () => {
  it('a medium alarm closes when its condition clears: condition-cleared, then closed', () => {
    const b = book();
    b.raise('chair-1', MEDIUM, 0, 'offline', 'op-1');
    const events = b.clear('chair-1', MEDIUM, 30 * S, 'back online');
    expect(brief(events)).toEqual([ev(1, 'condition-cleared', 30 * S), ev(1, 'closed', 30 * S)]);
    expect(events[0]!.detail).toBe('back online');
    expect(events[1]!.alarm).toMatchObject({ state: 'closed', conditionActive: false, closedAt: 30 * S });
    expect(b.open()).toEqual([]);
  });

  it('a low alarm closes the same way', () => {
    const b = book();
    b.raise('chair-1', LOW, 0, '', 'op-1');
    expect(brief(b.clear('chair-1', LOW, S, ''))).toEqual([ev(1, 'condition-cleared', S), ev(1, 'closed', S)]);
    expect(b.open()).toEqual([]);
  });

  it('a high alarm nobody acknowledged latches: it stays open with its condition no longer active', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '160 Hz', 'op-1');
    const events = b.clear('chair-1', HIGH, 20 * S, 'back in band');
    expect(brief(events)).toEqual([ev(1, 'latched', 20 * S)]);
    expect(only(b)).toMatchObject({ id: 1, state: 'latched', conditionActive: false, closedAt: null });
  });

  it('a high alarm acknowledged before its condition cleared closes when it clears', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    ok(b.acknowledge(1, 'sup-1', 5 * S));
    expect(brief(b.clear('chair-1', HIGH, 20 * S, ''))).toEqual([ev(1, 'condition-cleared', 20 * S), ev(1, 'closed', 20 * S)]);
    expect(b.open()).toEqual([]);
  });

  it('clearing what is not raised, or already cleared, does nothing', () => {
    const b = book();
    expect(b.clear('chair-1', MEDIUM, 0, '')).toEqual([]);
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    b.clear('chair-1', HIGH, S, '');
    expect(b.clear('chair-1', HIGH, 2 * S, '')).toEqual([]);
    expect(only(b).state).toBe('latched');
  });

  it('the condition back on a latched alarm makes it active again: repeated, the same alarm', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, 'first', 'op-1');
    b.clear('chair-1', HIGH, 20 * S, '');
    const events = b.raise('chair-1', HIGH, 40 * S, '170 Hz', 'op-1');
    expect(brief(events)).toEqual([ev(1, 'repeated', 40 * S)]);
    expect(events[0]!.detail).toBe('170 Hz');
    expect(only(b)).toMatchObject({ id: 1, state: 'active', conditionActive: true, raisedAt: 0, lastAt: 40 * S, repeats: 1, detail: '170 Hz' });
    // And it latches again when the condition clears again.
    expect(brief(b.clear('chair-1', HIGH, 60 * S, ''))).toEqual([ev(1, 'latched', 60 * S)]);
  });

  it('after an alarm closed, the condition coming back is a new alarm', () => {
    const b = book();
    b.raise('chair-1', MEDIUM, 0, '', 'op-1');
    b.clear('chair-1', MEDIUM, S, '');
    expect(brief(b.raise('chair-1', MEDIUM, 2 * S, '', 'op-1'))).toEqual([ev(2, 'raised', 2 * S)]);
    expect(only(b)).toMatchObject({ id: 2, repeats: 0, raisedAt: 2 * S });
  });
});

describe('acknowledging', () => {
  it('records who acknowledged and when; the alarm stays open while its condition holds', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    const events = ok(b.acknowledge(1, 'sup-1', 7 * S));
    expect(brief(events)).toEqual([ev(1, 'acknowledged', 7 * S, 'sup-1')]);
    expect(only(b)).toMatchObject({ state: 'active', acknowledgedBy: 'sup-1', acknowledgedAt: 7 * S, closedAt: null });
  });

  it('acknowledging a latched alarm closes it', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    b.clear('chair-1', HIGH, 10 * S, '');
    const events = ok(b.acknowledge(1, 'op-1', 30 * S));
    expect(brief(events)).toEqual([ev(1, 'acknowledged', 30 * S, 'op-1'), ev(1, 'closed', 30 * S)]);
    expect(events[1]!.alarm).toMatchObject({ state: 'closed', acknowledgedBy: 'op-1', acknowledgedAt: 30 * S, closedAt: 30 * S });
    expect(b.open()).toEqual([]);
  });

  it('acknowledging twice changes nothing: the first person and time stay', () => {
    const b = book();
    b.raise('chair-1', MEDIUM, 0, '', 'op-1');
    ok(b.acknowledge(1, 'sup-1', S));
    expect(ok(b.acknowledge(1, 'sup-2', 2 * S))).toEqual([]);
    expect(only(b)).toMatchObject({ acknowledgedBy: 'sup-1', acknowledgedAt: S });
  });

  it('an unknown or closed alarm cannot be acknowledged', () => {
    const b = book();
    expect(b.acknowledge(99, 'sup-1', 0)).toEqual({ ok: false, reason: 'alarm 99 is not open' });
    b.raise('chair-1', LOW, 0, '', 'op-1');
    b.clear('chair-1', LOW, S, '');
    expect(b.acknowledge(1, 'sup-1', 2 * S).ok).toBe(false);
  });

  it('an acknowledged alarm repeated while its condition holds stays acknowledged and makes no event', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    ok(b.acknowledge(1, 'sup-1', S));
    expect(b.raise('chair-1', HIGH, 2 * S, '', 'op-1')).toEqual([]);
    expect(only(b)).toMatchObject({ acknowledgedBy: 'sup-1', state: 'active' });
  });
});

describe('silencing', () => {
  it('silences for the time asked, and says for how long', () => {
    const b = book();
    b.raise('chair-1', MEDIUM, 0, '', 'op-1');
    const events = ok(b.silence(1, 'sup-1', 10 * S, 2 * MIN));
    expect(brief(events)).toEqual([ev(1, 'silenced', 10 * S, 'sup-1')]);
    expect(events[0]!.detail).toBe('for 2 min');
    expect(only(b).silencedUntil).toBe(10 * S + 2 * MIN);
  });

  it('a silence is bounded by the longest the settings allow', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    const events = ok(b.silence(1, 'sup-1', 0, 60 * MIN));
    expect(only(b).silencedUntil).toBe(defaultAlarmSettings.maxSilenceMs);
    expect(events[0]!.detail).toBe('for 10 min');
  });

  it('the bound follows the settings when they change', () => {
    const b = book();
    b.settings = { ...defaultAlarmSettings, maxSilenceMs: 2 * MIN };
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    ok(b.silence(1, 'sup-1', 0, 60 * MIN));
    expect(only(b).silencedUntil).toBe(2 * MIN);
  });

  it('the silence runs out on the first tick at or after its end', () => {
    const b = book();
    b.raise('chair-1', LOW, 0, '', 'op-1');
    ok(b.silence(1, 'sup-1', 0, MIN));
    b.tick(MIN - 1);
    expect(only(b).silencedUntil).toBe(MIN);
    b.tick(MIN);
    expect(only(b).silencedUntil).toBeNull();
  });

  it('an unknown alarm cannot be silenced', () => {
    expect(book().silence(5, 'sup-1', 0, MIN)).toEqual({ ok: false, reason: 'alarm 5 is not open' });
  });

  it('a silenced high alarm does not escalate until the silence ends, then escalates at once', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    ok(b.silence(1, 'sup-1', 30 * S, 5 * MIN));
    // Due at 60 s, but silenced until 5 min 30 s.
    expect(ticks(b, 0, 5 * MIN + 30 * S)).toEqual([]);
    expect(only(b).escalated).toBe(false);
    const events = b.tick(5 * MIN + 30 * S);
    expect(brief(events)).toEqual([ev(1, 'escalated', 5 * MIN + 30 * S)]);
    expect(events[0]!.detail).toBe('unacknowledged for 330 s');
  });
});

describe('escalating', () => {
  it('an unacknowledged high alarm escalates once, exactly at raisedAt + escalateAfterMs', () => {
    expect(ESCALATE).toBe(60 * S);
    const b = book();
    b.raise('chair-1', HIGH, 10 * S, '', 'op-1');
    expect(b.tick(10 * S + ESCALATE - 1)).toEqual([]);
    const events = b.tick(10 * S + ESCALATE);
    expect(brief(events)).toEqual([ev(1, 'escalated', 10 * S + ESCALATE)]);
    expect(events[0]!.detail).toBe('unacknowledged for 60 s');
    expect(only(b).escalated).toBe(true);
    expect(ticks(b, 10 * S + ESCALATE + 1, 30 * MIN)).toEqual([]);
  });

  it('a latched high alarm still escalates: nobody has seen it yet', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    b.clear('chair-1', HIGH, 10 * S, '');
    expect(brief(ticks(b, 0, 2 * MIN))).toEqual([ev(1, 'escalated', ESCALATE)]);
  });

  it('a high alarm acknowledged in time never escalates', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    ok(b.acknowledge(1, 'sup-1', ESCALATE - 1));
    expect(ticks(b, 0, 30 * MIN)).toEqual([]);
  });

  it('acknowledging an escalated alarm takes the escalation away, and it does not come back', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    expect(brief(ticks(b, 0, 2 * MIN))).toEqual([ev(1, 'escalated', ESCALATE)]);
    const [acknowledged] = ok(b.acknowledge(1, 'sup-1', 2 * MIN));
    expect(acknowledged!.alarm.escalated).toBe(false);
    expect(only(b).escalated).toBe(false);
    expect(ticks(b, 2 * MIN, 30 * MIN)).toEqual([]);
  });

  it('medium and low alarms never escalate', () => {
    const b = book();
    b.raise('chair-1', MEDIUM, 0, '', 'op-1');
    b.raise('chair-1', LOW, 0, '', 'op-1');
    b.raise('chair-2', 'break-overdue', 0, '', 'op-2');
    expect(ticks(b, 0, 60 * MIN)).toEqual([]);
    expect(b.open().every((a) => !a.escalated)).toBe(true);
  });

  it('the escalation delay follows the settings', () => {
    const b = book({ ...defaultAlarmSettings, escalateAfterMs: 5 * MIN });
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    expect(ticks(b, 0, 5 * MIN)).toEqual([]);
    expect(brief(b.tick(5 * MIN))).toEqual([ev(1, 'escalated', 5 * MIN)]);
  });

  it('a closed alarm is no longer escalated', () => {
    const b = book();
    b.raise('chair-1', HIGH, 0, '', 'op-1');
    b.tick(ESCALATE);
    b.clear('chair-1', HIGH, 2 * MIN, '');
    const events = ok(b.acknowledge(1, 'sup-1', 3 * MIN));
    expect(events.at(-1)!.alarm).toMatchObject({ state: 'closed', escalated: false });
  });
});

describe('restoring after a restart', () => {
  const alarm = (over: Partial<AlarmView>): AlarmView => ({
    id: 1, chairId: 'chair-1', condition: HIGH, priority: 'high', state: 'active', conditionActive: true, detail: '', operatorId: 'op-1',
    raisedAt: 0, lastAt: 0, repeats: 0, acknowledgedBy: null, acknowledgedAt: null, silencedUntil: null, escalated: false, closedAt: null,
    ...over,
  });

  it('open alarms (active and latched) come back; closed ones do not', () => {
    const b = book();
    const active = alarm({ id: 11, condition: HIGH });
    const latched = alarm({ id: 12, condition: 'break-violation', state: 'latched', conditionActive: false });
    const closed = alarm({ id: 13, condition: MEDIUM, priority: 'medium', state: 'closed', conditionActive: false, closedAt: S });
    b.restore([active, latched, closed]);
    expect(b.open()).toEqual([active, latched]);
  });

  it('a restored alarm goes on with its life: repeats update it, acknowledging closes a latched one, escalation is counted from its raise', () => {
    const b = book();
    b.restore([
      alarm({ id: 11, condition: HIGH, raisedAt: 0 }),
      alarm({ id: 12, condition: 'break-violation', state: 'latched', conditionActive: false, raisedAt: 0 }),
    ]);
    expect(b.raise('chair-1', HIGH, 30 * S, 'again', 'op-1')).toEqual([]);
    expect(brief(ok(b.acknowledge(12, 'sup-1', 40 * S)))).toEqual([ev(12, 'acknowledged', 40 * S, 'sup-1'), ev(12, 'closed', 40 * S)]);
    expect(brief(b.tick(ESCALATE))).toEqual([ev(11, 'escalated', ESCALATE)]);
    expect(b.open().map((a) => [a.id, a.repeats])).toEqual([[11, 1]]);
  });

  it('restoring copies: the caller\'s objects are not changed by what happens next', () => {
    const b = book();
    const stored = alarm({ id: 11 });
    b.restore([stored]);
    b.raise('chair-1', HIGH, 30 * S, 'again', 'op-1');
    expect(stored).toMatchObject({ lastAt: 0, repeats: 0, detail: '' });
  });
});

describe('a whole alarm, as a supervisor lives it', () => {
  it('raised, silenced, escalated when the silence ends, latched, acknowledged and closed', () => {
    const b = book();
    const events = [
      ...b.raise('chair-1', HIGH, 0, '160 Hz', 'op-1'),
      ...ok(b.silence(1, 'sup-1', 10 * S, MIN)),
      ...ticks(b, 0, 80 * S),
      ...b.clear('chair-1', HIGH, 80 * S, 'back in band'),
      ...ticks(b, 80 * S, 5 * MIN),
      ...ok(b.acknowledge(1, 'sup-1', 5 * MIN)),
    ];
    expect(brief(events)).toEqual([
      ev(1, 'raised', 0),
      ev(1, 'silenced', 10 * S, 'sup-1'),
      ev(1, 'escalated', 70 * S),
      ev(1, 'latched', 80 * S),
      ev(1, 'acknowledged', 5 * MIN, 'sup-1'),
      ev(1, 'closed', 5 * MIN),
    ]);
    expect(b.open()).toEqual([]);
  });
});
