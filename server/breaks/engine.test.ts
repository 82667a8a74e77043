import { describe, expect, it } from 'vitest';
import { defaultBreakPolicy, type BreakKind, type BreakPolicy } from '../protocol/breaks.ts';
import { BreakEngine, LIMIT_OVERRIDE_MS, MAX_SAMPLE_GAP_MS, type EngineEvent } from './engine.ts';

/**
 * The engine reads no clock: every call carries its own moment. These tests are the fake clock,
 * driving one sample and one tick per simulated second and checking each decision at the exact
 * second it must happen.
 */
const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const FAR = 1_000 * HOUR;

/** One day for the whole test: day changes are only tested where a test says so. */
const oneDay = () => 'day-1';
const engineWith = (policy: BreakPolicy = defaultBreakPolicy) => new BreakEngine(policy, oneDay);

interface Seen {
  sec: number;
  type: EngineEvent['type'];
  kind: BreakKind;
  ms: number | null;
}

/** An event as the tests compare it: at which simulated second, what, of which break, how long. */
const seen = (events: EngineEvent[], base = 0): Seen[] =>
  events.map((e) => ({ sec: (e.at - base) / S, type: e.type, kind: e.kind, ms: e.ms }));

const ev = (sec: number, type: EngineEvent['type'], kind: BreakKind, ms: number | null = null): Seen => ({ sec, type, kind, ms });

/**
 * Seconds [fromSec, toSec) of an operator's handpiece: a sample, then a tick, every second.
 * `running` is the needle's state at each second. Returns every event, in order.
 */
function work(
  engine: BreakEngine,
  operatorId: string,
  fromSec: number,
  toSec: number,
  running: boolean | ((sec: number) => boolean) = true,
  base = 0,
): EngineEvent[] {
  const events: EngineEvent[] = [];
  for (let s = fromSec; s < toSec; s++) {
    const at = base + s * S;
    events.push(...engine.sample(operatorId, at, typeof running === 'function' ? running(s) : running));
    events.push(...engine.tick(at));
  }
  return events;
}

/** Only ticks: time passes, the handpiece says nothing. */
function wait(engine: BreakEngine, fromSec: number, toSec: number, base = 0): EngineEvent[] {
  const events: EngineEvent[] = [];
  for (let s = fromSec; s < toSec; s++) events.push(...engine.tick(base + s * S));
  return events;
}

/** The default policy's first micro-pause, seen by continuous needle work from t = 0. */
const firstMicro = [ev(1200, 'warning', 'micro', 5 * MIN), ev(1440, 'warning', 'micro', MIN), ev(1500, 'break', 'micro', 2 * MIN)];

/** A small policy for the limits: no micro-pause or rest break comes within the test. */
const limitsOnly = (over: Partial<BreakPolicy>): BreakPolicy => ({
  ...defaultBreakPolicy,
  microEveryMs: FAR,
  restEveryMs: 2 * FAR,
  dailyNeedleMs: FAR,
  maxSessionMs: FAR,
  warnBeforeMs: [30 * S, 10 * S],
  ...over,
});

describe('break engine: micro-pauses and rest breaks', () => {
  it('a micro-pause starts after exactly 25 minutes of needle work, warned at 20 and 24 minutes, and is served 2 minutes later', () => {
    const engine = engineWith();
    expect(seen(work(engine, 'ana', 0, 1500))).toEqual(firstMicro.slice(0, 2));
    expect(seen(work(engine, 'ana', 1500, 1501))).toEqual([ev(1500, 'break', 'micro', 2 * MIN)]);
    expect(seen(work(engine, 'ana', 1501, 1620))).toEqual([]);
    expect(seen(work(engine, 'ana', 1620, 1621))).toEqual([ev(1620, 'served', 'micro')]);
  });

  it('the needle time of an enforced break does not count: the second micro-pause comes 25 minutes of work after the first was served', () => {
    const engine = engineWith();
    const events = seen(work(engine, 'ana', 0, 3300));
    expect(events).toEqual([
      ...firstMicro,
      ev(1620, 'served', 'micro'),
      ev(2820, 'warning', 'micro', 5 * MIN),
      ev(3060, 'warning', 'micro', MIN),
      ev(3120, 'break', 'micro', 2 * MIN),
      ev(3240, 'served', 'micro'),
    ]);
  });

  it('only running samples are needle time: a 60 s stop (shorter than a micro-pause) delays the micro-pause by 60 s and resets nothing', () => {
    const engine = engineWith();
    // The stop sample at 600 s closes the second 599..600 as needle work; 600..660 is stopped.
    const events = seen(work(engine, 'ana', 0, 1561, (s) => s < 600 || s >= 660));
    expect(events).toEqual([
      ev(1260, 'warning', 'micro', 5 * MIN),
      ev(1500, 'warning', 'micro', MIN),
      ev(1560, 'break', 'micro', 2 * MIN),
    ]);
    expect(engine.view('ana', 1_560 * S).needleMsToday).toBe(1_500 * S);
  });

  it('a stop of 119 s is no natural break: nothing is reset', () => {
    const engine = engineWith();
    const events = seen(work(engine, 'ana', 0, 1700, (s) => s < 600 || s >= 719));
    expect(events.filter((e) => e.type === 'natural')).toEqual([]);
    expect(events.find((e) => e.type === 'break')).toEqual(ev(1619, 'break', 'micro', 2 * MIN));
  });

  it('a rest break takes the place of the fourth micro-pause: 90 minutes of work plus three enforced micro-pauses puts it at 5760 s', () => {
    const engine = engineWith();
    const events = seen(work(engine, 'ana', 0, 6400));
    expect(events).toEqual([
      ...firstMicro,
      ev(1620, 'served', 'micro'),
      ev(2820, 'warning', 'micro', 5 * MIN),
      ev(3060, 'warning', 'micro', MIN),
      ev(3120, 'break', 'micro', 2 * MIN),
      ev(3240, 'served', 'micro'),
      ev(4440, 'warning', 'micro', 5 * MIN),
      ev(4680, 'warning', 'micro', MIN),
      ev(4740, 'break', 'micro', 2 * MIN),
      ev(4860, 'served', 'micro'),
      // 4500 s of work done: the rest is due after 900 s more, before the next micro-pause (1500 s).
      ev(5460, 'warning', 'rest', 5 * MIN),
      ev(5700, 'warning', 'rest', MIN),
      ev(5760, 'break', 'rest', 10 * MIN),
      ev(6360, 'served', 'rest'),
    ]);
    // The rest counts as a micro-pause too: the next micro-pause is 25 min of work after it (39 s done).
    expect(engine.view('ana', 6_399 * S).next).toEqual({ kind: 'micro', workLeftMs: 25 * MIN - 39 * S, dueAt: null });
    expect(seen(work(engine, 'ana', 6400, 7560))).toEqual([]);
    expect(seen(work(engine, 'ana', 7560, 7561))).toEqual([ev(7560, 'warning', 'micro', 5 * MIN)]);
  });

  it('a rest break due at the same moment as a micro-pause replaces it', () => {
    // Micro every 60 s of work for 10 s, rest every 180 s for 30 s: the third micro-pause falls on the rest.
    const policy: BreakPolicy = { ...limitsOnly({}), microEveryMs: 60 * S, microDurationMs: 10 * S, restEveryMs: 180 * S, restDurationMs: 30 * S, warnBeforeMs: [] };
    const engine = engineWith(policy);
    expect(seen(work(engine, 'ana', 0, 300))).toEqual([
      ev(60, 'break', 'micro', 10 * S),
      ev(70, 'served', 'micro'),
      ev(130, 'break', 'micro', 10 * S),
      ev(140, 'served', 'micro'),
      ev(200, 'break', 'rest', 30 * S),
      ev(230, 'served', 'rest'),
      ev(290, 'break', 'micro', 10 * S),
    ]);
  });

  it('a break is served at its end, even when the next tick comes late', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 1600);
    expect(seen(engine.tick(1_700 * S))).toEqual([ev(1620, 'served', 'micro')]);
  });

  it('no warning comes with the break itself: samples that skip past the lead bring the break unwarned', () => {
    const engine = engineWith({ ...limitsOnly({}), microEveryMs: 60 * S, microDurationMs: 10 * S, restEveryMs: 600 * S, restDurationMs: 60 * S, warnBeforeMs: [3 * S] });
    const events: EngineEvent[] = [];
    // A sample every 5 s: 5 s of work left at 55 s (more than the 3 s lead), none at 60 s.
    for (let s = 0; s <= 60; s += 5) events.push(...engine.sample('ana', s * S, true));
    expect(seen(events)).toEqual([ev(60, 'break', 'micro', 10 * S)]);
  });

  it('a device gone quiet is not needle time: a silence longer than the sample gap counts as the gap only', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 101);
    engine.sample('ana', 160 * S, true);
    expect(engine.view('ana', 160 * S).needleMsToday).toBe(100 * S + MAX_SAMPLE_GAP_MS);
  });

  it('a sample older than the last one is ignored', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 201);
    // Resent after a reconnect: a stop at 150 s, long counted as running.
    expect(engine.sample('ana', 150 * S, false)).toEqual([]);
    expect(engine.view('ana', 200 * S).needleMsToday).toBe(200 * S);
    engine.sample('ana', 201 * S, true);
    expect(engine.view('ana', 201 * S).needleMsToday).toBe(201 * S);
    expect(engine.view('ana', 201 * S).next).toEqual({ kind: 'micro', workLeftMs: 25 * MIN - 201 * S, dueAt: null });
  });
});

describe('break engine: natural breaks', () => {
  it('a stop as long as a micro-pause is a natural micro-pause at exactly 120 s, and the next warning comes 20 min of work later', () => {
    const engine = engineWith();
    const events = seen(work(engine, 'ana', 0, 2500, (s) => s < 600 || s >= 900));
    expect(events).toEqual([
      ev(720, 'natural', 'micro', 2 * MIN),
      ev(2100, 'warning', 'micro', 5 * MIN),
      ev(2340, 'warning', 'micro', MIN),
      ev(2400, 'break', 'micro', 2 * MIN),
    ]);
  });

  it('a stop of 10 min is a natural micro-pause at 120 s and a natural rest at 600 s, and resets both timers', () => {
    const engine = engineWith();
    const stopped = (s: number) => s < 1000 || s >= 1700;
    expect(seen(work(engine, 'ana', 0, 1700, stopped))).toEqual([ev(1120, 'natural', 'micro', 2 * MIN), ev(1600, 'natural', 'rest', 10 * MIN)]);
    expect(engine.view('ana', 1_700 * S).next).toEqual({ kind: 'micro', workLeftMs: 25 * MIN, dueAt: null });
    // From 1700 s: micro-pauses at 1500, 3000 and 4500 s of work, the rest at 5400 s of work.
    const breaks = seen(work(engine, 'ana', 1700, 7500, stopped)).filter((e) => e.type === 'break');
    expect(breaks).toEqual([
      ev(3200, 'break', 'micro', 2 * MIN),
      ev(4820, 'break', 'micro', 2 * MIN),
      ev(6440, 'break', 'micro', 2 * MIN),
      ev(7460, 'break', 'rest', 10 * MIN),
    ]);
  });

  it('a stop after an enforced micro-pause, worked through with the needle running, is still a natural break', () => {
    const engine = engineWith();
    // The needle runs from 0 to 2000 s, through the enforced micro-pause 1500..1620, then stops.
    const events = seen(work(engine, 'ana', 0, 2200, (s) => s < 2000));
    expect(events.slice(firstMicro.length + 1)).toEqual([ev(2120, 'natural', 'micro', 2 * MIN)]);
  });

  it('a stop that goes on after an enforced micro-pause is that micro-pause, not a natural one on top of it', () => {
    const engine = engineWith();
    // The operator stops at the break and resumes at 1700 s: 200 s stopped, but one break.
    const events = seen(work(engine, 'ana', 0, 1800, (s) => s <= 1500 || s >= 1700));
    expect(events).toEqual([...firstMicro, ev(1620, 'served', 'micro')]);
  });

  it('silence is no pause: a handpiece quiet for 5 min after a stop, whose resent samples show it working, gets no natural break', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 600);
    engine.sample('ana', 600 * S, false);
    // Offline: the server's clock moves on, the handpiece says nothing.
    expect(wait(engine, 601, 900)).toEqual([]);
    // Back: what it made while away, the needle running from 601 s (598 s of it counted from 602 s on, 600 s before).
    expect(seen(work(engine, 'ana', 601, 900)).filter((e) => e.type === 'natural')).toEqual([]);
    expect(engine.view('ana', 900 * S).next).toEqual({ kind: 'micro', workLeftMs: 25 * MIN - 898 * S, dueAt: null });
  });

  it('a handpiece quiet through a pause that comes back running has the pause counted at that sample', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 600);
    engine.sample('ana', 600 * S, false);
    expect(wait(engine, 601, 730)).toEqual([]);
    expect(seen(engine.sample('ana', 730 * S, true))).toEqual([ev(730, 'natural', 'micro', 130 * S)]);
    expect(engine.view('ana', 730 * S).next).toEqual({ kind: 'micro', workLeftMs: 25 * MIN, dueAt: null });
  });
});

describe('break engine: postpone', () => {
  it('postpones a micro-pause by 5 min, then by 2.5 min, refuses a third, and the break returns at exactly the postponed second', () => {
    const engine = engineWith();
    expect(seen(work(engine, 'ana', 0, 1505))).toEqual(firstMicro);
    expect(engine.view('ana', 1_505 * S).postponesLeft).toBe(2);

    const first = engine.postpone('ana', 1_505 * S);
    expect(first.result).toEqual({ ok: true, byMs: 5 * MIN });
    expect(seen(first.events)).toEqual([ev(1505, 'postponed', 'micro', 5 * MIN)]);
    expect(engine.view('ana', 1_505 * S)).toMatchObject({
      state: 'working',
      current: null,
      next: { kind: 'micro', workLeftMs: null, dueAt: 1_805 * S },
      postponesLeft: 1,
      postponedToday: 1,
      // Put-off rest counts as needle time: 1504 s sampled so far plus the 300 s postpone.
      needleMsToday: (1_504 + 300) * S,
    });
    // The 5 min warning is not given again for a 5 min postpone; the 1 min one is.
    expect(seen(work(engine, 'ana', 1505, 1810))).toEqual([ev(1745, 'warning', 'micro', MIN), ev(1805, 'break', 'micro', 2 * MIN)]);

    const second = engine.postpone('ana', 1_810 * S);
    expect(second.result).toEqual({ ok: true, byMs: 2.5 * MIN });
    expect(seen(second.events)).toEqual([ev(1810, 'postponed', 'micro', 2.5 * MIN)]);
    expect(engine.view('ana', 1_810 * S)).toMatchObject({ postponesLeft: 0, postponedToday: 2, needleMsToday: (1_809 + 300 + 150) * S });
    expect(seen(work(engine, 'ana', 1810, 1965))).toEqual([ev(1900, 'warning', 'micro', MIN), ev(1960, 'break', 'micro', 2 * MIN)]);

    const third = engine.postpone('ana', 1_965 * S);
    expect(third.result.ok).toBe(false);
    expect(third.result.ok === false && third.result.reason).toMatch(/postponed 2 time/);
    expect(third.events).toEqual([]);
    expect(engine.view('ana', 1_965 * S)).toMatchObject({ state: 'on-break', current: { kind: 'micro', startedAt: 1_960 * S, until: 2_080 * S }, postponedToday: 2 });
    expect(seen(work(engine, 'ana', 1965, 2100))).toEqual([ev(2080, 'served', 'micro')]);
    // Served: the next micro-pause has its own postpones again.
    expect(engine.view('ana', 2_099 * S)).toMatchObject({ next: { kind: 'micro', workLeftMs: 25 * MIN - 19 * S }, postponesLeft: 2 });
  });

  it('each further postpone of the same break is half the one before: 5 min, 2.5 min, 75 s', () => {
    const engine = engineWith({ ...defaultBreakPolicy, maxPostpones: 3 });
    work(engine, 'ana', 0, 1501);
    expect(engine.postpone('ana', 1_500 * S).result).toEqual({ ok: true, byMs: 5 * MIN });
    expect(seen(work(engine, 'ana', 1501, 1801)).at(-1)).toEqual(ev(1800, 'break', 'micro', 2 * MIN));
    expect(engine.postpone('ana', 1_800 * S).result).toEqual({ ok: true, byMs: 150 * S });
    expect(seen(work(engine, 'ana', 1801, 1951)).at(-1)).toEqual(ev(1950, 'break', 'micro', 2 * MIN));
    expect(engine.postpone('ana', 1_950 * S).result).toEqual({ ok: true, byMs: 75 * S });
    expect(seen(work(engine, 'ana', 1951, 2026)).at(-1)).toEqual(ev(2025, 'break', 'micro', 2 * MIN));
    expect(engine.postpone('ana', 2_025 * S).result.ok).toBe(false);
  });

  it('postponing a rest break returns it 5 min later as a rest break', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 5761);
    const { result, events } = engine.postpone('ana', 5_761 * S);
    expect(result).toEqual({ ok: true, byMs: 5 * MIN });
    expect(seen(events)).toEqual([ev(5761, 'postponed', 'rest', 5 * MIN)]);
    expect(seen(work(engine, 'ana', 5761, 6062))).toEqual([ev(6001, 'warning', 'rest', MIN), ev(6061, 'break', 'rest', 10 * MIN)]);
  });

  it('there is nothing to postpone while working, and no postpone of a limit', () => {
    const engine = engineWith(limitsOnly({ dailyNeedleMs: 100 * S }));
    work(engine, 'ana', 0, 50);
    expect(engine.postpone('ana', 50 * S)).toEqual({ result: { ok: false, reason: 'no break to postpone' }, events: [] });
    work(engine, 'ana', 50, 101);
    const onLimit = engine.postpone('ana', 101 * S);
    expect(onLimit.result.ok).toBe(false);
    expect(onLimit.result.ok === false && onLimit.result.reason).toMatch(/limit cannot be postponed/);
    expect(engine.view('ana', 101 * S)).toMatchObject({ state: 'on-break', current: { kind: 'daily' }, postponedToday: 0, postponesLeft: 0 });
  });
});

describe('break engine: supervisor override', () => {
  it('an override lifts a micro-pause at that second with the reason, and counts it as taken', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 1531);
    const reason = 'client is leaving, last line to finish';
    const result = engine.override('ana', 1_530 * S, reason);
    expect(result.ok).toBe(true);
    expect(result.events).toEqual([{ type: 'override', operatorId: 'ana', kind: 'micro', at: 1_530 * S, ms: null, detail: reason }]);
    expect(engine.view('ana', 1_530 * S)).toMatchObject({ state: 'working', current: null, next: { kind: 'micro', workLeftMs: 25 * MIN } });
    // No 'served' at 1620 s; the next micro-pause is 25 min of work after the override.
    expect(seen(work(engine, 'ana', 1531, 3100))).toEqual([ev(2730, 'warning', 'micro', 5 * MIN), ev(2970, 'warning', 'micro', MIN), ev(3030, 'break', 'micro', 2 * MIN)]);
  });

  it('an override of a rest break counts as the rest taken: both timers restart', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 5801);
    expect(seen(engine.override('ana', 5_800 * S, 'checked, operator feels fine').events)).toEqual([ev(5800, 'override', 'rest')]);
    const breaks = seen(work(engine, 'ana', 5801, 12_000)).filter((e) => e.type === 'break');
    expect(breaks).toEqual([
      ev(7300, 'break', 'micro', 2 * MIN),
      ev(8920, 'break', 'micro', 2 * MIN),
      ev(10_540, 'break', 'micro', 2 * MIN),
      ev(11_560, 'break', 'rest', 10 * MIN),
    ]);
  });

  it('an override with no break in force is refused', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 100);
    expect(engine.override('ana', 100 * S, 'nothing to lift here')).toEqual({ ok: false, events: [] });
  });

  it('an override of the daily limit grants 60 more minutes of needle time, warned again before they run out', () => {
    const engine = engineWith(limitsOnly({ dailyNeedleMs: 100 * S }));
    expect(seen(work(engine, 'ana', 0, 111))).toEqual([
      ev(70, 'warning', 'daily', 30 * S),
      ev(90, 'warning', 'daily', 10 * S),
      // One day for the whole test: the limit holds until the calendar's next midnight.
      expect.objectContaining({ sec: 100, type: 'break', kind: 'daily' }),
    ]);
    expect(seen(engine.override('ana', 110 * S, 'last client of the day').events)).toEqual([ev(110, 'override', 'daily')]);
    // The needle ran on through the limit: 110 s are counted, 100 s + 60 min are allowed.
    expect(engine.view('ana', 110 * S)).toMatchObject({ state: 'working', needleMsToday: 110 * S });
    const limit = (100 * S + LIMIT_OVERRIDE_MS) / S;
    expect(seen(work(engine, 'ana', 111, limit + 1))).toEqual([
      ev(limit - 30, 'warning', 'daily', 30 * S),
      ev(limit - 10, 'warning', 'daily', 10 * S),
      expect.objectContaining({ sec: limit, type: 'break', kind: 'daily' }),
    ]);
  });
});

describe('break engine: violations', () => {
  it('with a grace for the order to reach the handpiece, dots in the first seconds of a break are not violations, later ones are', () => {
    const engine = new BreakEngine(defaultBreakPolicy, oneDay, 2 * S);
    work(engine, 'ana', 0, 1502);
    expect(engine.dot('ana', 1_501 * S).violation).toBe(false);
    const late = engine.dot('ana', 1_502 * S);
    expect(late.violation).toBe(true);
    expect(seen(late.events)).toEqual([ev(1502, 'violation', 'micro')]);
  });

  it('dots during a break are violations, one event per break; a late dot from before the break and dots while working are not', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 1000);
    expect(engine.dot('ana', 1_000 * S)).toEqual({ violation: false, events: [] });
    work(engine, 'ana', 1000, 1510);
    // Made at 1499 s, delivered during the break.
    expect(engine.dot('ana', 1_499 * S)).toEqual({ violation: false, events: [] });

    const first = engine.dot('ana', 1_510 * S);
    expect(first.violation).toBe(true);
    expect(seen(first.events)).toEqual([ev(1510, 'violation', 'micro')]);
    expect(engine.dot('ana', 1_511 * S)).toEqual({ violation: true, events: [] });
    expect(engine.dot('ana', 1_619 * S)).toEqual({ violation: true, events: [] });
    expect(engine.view('ana', 1_619 * S).violationsToday).toBe(3);

    work(engine, 'ana', 1510, 1621);
    expect(engine.dot('ana', 1_620 * S)).toEqual({ violation: false, events: [] });
    expect(engine.dot('ana', 1_621 * S)).toEqual({ violation: false, events: [] });

    work(engine, 'ana', 1621, 3121);
    const again = engine.dot('ana', 3_121 * S);
    expect(again.violation).toBe(true);
    expect(seen(again.events)).toEqual([ev(3121, 'violation', 'micro')]);
    expect(engine.view('ana', 3_121 * S).violationsToday).toBe(4);
  });

  it('a dot at the very second a break falls due is a violation of that break', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 1500);
    engine.sample('ana', 1_500 * S, true);
    expect(engine.dot('ana', 1_500 * S).violation).toBe(true);
  });

  it('dots during a limit are violations too', () => {
    const engine = engineWith(limitsOnly({ maxSessionMs: 100 * S }));
    engine.sessionStarted('ana', 0);
    wait(engine, 0, 101);
    const dot = engine.dot('ana', 101 * S);
    expect(dot.violation).toBe(true);
    expect(seen(dot.events)).toEqual([ev(101, 'violation', 'session')]);
  });
});

describe('break engine: session and daily limits', () => {
  it('a session stops at exactly 8 hours, warned 5 min and 1 min before, until lifted', () => {
    const engine = engineWith();
    engine.sessionStarted('ana', 0);
    expect(seen(wait(engine, 0, 8 * 3600 + 100))).toEqual([ev(28_500, 'warning', 'session', 5 * MIN), ev(28_740, 'warning', 'session', MIN), ev(28_800, 'break', 'session', null)]);
    expect(engine.view('ana', 29_000 * S)).toMatchObject({ state: 'on-break', current: { kind: 'session', startedAt: 28_800 * S, until: null }, postponesLeft: 0 });
  });

  it('a new session lifts the session limit, and its own limit comes maxSessionMs after it started, warned afresh', () => {
    const engine = engineWith(limitsOnly({ maxSessionMs: 100 * S }));
    engine.sessionStarted('ana', 5 * S);
    expect(seen(work(engine, 'ana', 5, 150))).toEqual([ev(75, 'warning', 'session', 30 * S), ev(95, 'warning', 'session', 10 * S), ev(105, 'break', 'session')]);
    const lifted = engine.sessionStarted('ana', 150 * S);
    expect(lifted).toEqual([{ type: 'limit-lifted', operatorId: 'ana', kind: 'session', at: 150 * S, ms: null, detail: 'a new session' }]);
    expect(engine.view('ana', 150 * S).state).toBe('working');
    expect(seen(work(engine, 'ana', 150, 260))).toEqual([ev(220, 'warning', 'session', 30 * S), ev(240, 'warning', 'session', 10 * S), ev(250, 'break', 'session')]);
  });

  it('the end of the session lifts the session limit, and no limit follows without a session', () => {
    const engine = engineWith(limitsOnly({ maxSessionMs: 100 * S }));
    engine.sessionStarted('ana', 0);
    work(engine, 'ana', 0, 120);
    const ended = engine.sessionEnded('ana', 120 * S);
    expect(ended).toEqual([{ type: 'limit-lifted', operatorId: 'ana', kind: 'session', at: 120 * S, ms: null, detail: 'the session ended' }]);
    expect(seen(work(engine, 'ana', 120, 500))).toEqual([]);
    expect(engine.view('ana', 500 * S).state).toBe('working');
  });

  it('ending a session with no limit in force emits nothing', () => {
    const engine = engineWith(limitsOnly({ maxSessionMs: 100 * S }));
    engine.sessionStarted('ana', 0);
    work(engine, 'ana', 0, 50);
    expect(engine.sessionEnded('ana', 50 * S)).toEqual([]);
  });

  it('an override of the session limit grants 60 more minutes, warned again before they run out', () => {
    const engine = engineWith(limitsOnly({ maxSessionMs: 100 * S }));
    engine.sessionStarted('ana', 0);
    work(engine, 'ana', 0, 120);
    expect(seen(engine.override('ana', 120 * S, 'patient asked to finish the crown').events)).toEqual([ev(120, 'override', 'session')]);
    const end = (100 * S + LIMIT_OVERRIDE_MS) / S;
    expect(seen(work(engine, 'ana', 120, end + 1))).toEqual([ev(end - 30, 'warning', 'session', 30 * S), ev(end - 10, 'warning', 'session', 10 * S), ev(end, 'break', 'session')]);
  });

  it('the time an override granted belongs to its session: the next session has the plain limit', () => {
    const engine = engineWith(limitsOnly({ maxSessionMs: 100 * S }));
    engine.sessionStarted('ana', 0);
    wait(engine, 0, 101);
    engine.override('ana', 101 * S, 'finishing the last row');
    engine.sessionEnded('ana', 200 * S);
    engine.sessionStarted('ana', 300 * S);
    expect(seen(wait(engine, 300, 401))).toEqual([ev(370, 'warning', 'session', 30 * S), ev(390, 'warning', 'session', 10 * S), ev(400, 'break', 'session')]);
  });

  it('warnings whose leads are all already passed come as one warning with the tightest lead', () => {
    // A session shorter than both warning leads: at its start, 50 s are left.
    const engine = engineWith(limitsOnly({ maxSessionMs: 50 * S, warnBeforeMs: [5 * MIN, MIN] }));
    expect(seen(engine.sessionStarted('ana', 0))).toEqual([ev(0, 'warning', 'session', MIN)]);
    expect(seen(wait(engine, 1, 51))).toEqual([ev(50, 'break', 'session')]);
  });

  it('the daily limit stops the operator at exactly 6 hours of needle time, until the next midnight', () => {
    // A real calendar day, in the edge box's zone: the limit lasts until the next local midnight.
    const base = new Date(2024, 5, 12, 8, 0, 0).getTime();
    const midnight = new Date(2024, 5, 13).getTime();
    const engine = new BreakEngine(defaultBreakPolicy);
    const events = seen(work(engine, 'ana', 0, 21_700, true, base), base);
    // The needle ran through every break here, so needle time is wall time: 6 h at 21600 s.
    expect(events.slice(-3)).toEqual([
      ev(21_300, 'warning', 'daily', 5 * MIN),
      ev(21_540, 'warning', 'daily', MIN),
      ev(21_600, 'break', 'daily', midnight - (base + 21_600 * S)),
    ]);
    // The micro-pause before it was served at 20700 s; the next one was not yet due.
    expect(events.at(-4)).toEqual(ev(20_700, 'served', 'micro'));
    expect(engine.view('ana', base + 21_700 * S)).toMatchObject({ state: 'on-break', current: { kind: 'daily', startedAt: base + 21_600 * S, until: midnight } });
  });

  it('a new day lifts the daily limit at midnight and zeroes the day: needle time, postpones, violations', () => {
    const base = new Date(2024, 5, 12, 20, 0, 0).getTime();
    const midnight = new Date(2024, 5, 13).getTime();
    const policy: BreakPolicy = { ...limitsOnly({ dailyNeedleMs: 200 * S }), microEveryMs: 60 * S, microDurationMs: 10 * S, warnBeforeMs: [] };
    const engine = new BreakEngine(policy);
    expect(seen(work(engine, 'ana', 0, 61, true, base), base)).toEqual([ev(60, 'break', 'micro', 10 * S)]);
    // The postpone counts as needle time: 60 + 300 s is past the 200 s allowed, so the limit falls at once.
    const postponed = engine.postpone('ana', base + 61 * S);
    expect(postponed.result).toEqual({ ok: true, byMs: 5 * MIN });
    expect(seen(postponed.events, base)).toEqual([ev(61, 'postponed', 'micro', 5 * MIN), ev(61, 'break', 'daily', midnight - (base + 61 * S))]);
    // The operator stops the needle (the second 60..62 still ran) and makes one dot in the limit.
    expect(engine.sample('ana', base + 62 * S, false)).toEqual([]);
    expect(engine.dot('ana', base + 62 * S).violation).toBe(true);
    expect(engine.view('ana', base + 62 * S)).toMatchObject({ postponedToday: 1, violationsToday: 1, needleMsToday: (60 + 300 + 2) * S });

    expect(engine.tick(midnight - S)).toEqual([]);
    // Lifted by the new day, not served; the night without needle work counts as a rest.
    expect(seen(engine.tick(midnight), base)).toEqual([
      ev((midnight - base) / S, 'limit-lifted', 'daily'),
      ev((midnight - base) / S, 'natural', 'rest', midnight - (base + 62 * S)),
    ]);
    expect(engine.view('ana', midnight)).toMatchObject({
      state: 'working',
      current: null,
      next: { kind: 'micro', workLeftMs: 60 * S, dueAt: null },
      postponedToday: 0,
      violationsToday: 0,
      needleMsToday: 0,
    });
  });

  it('a day change decided by the engine\'s dayOf lifts the limit even before the calendar midnight', () => {
    let today = 'monday';
    const engine = new BreakEngine(limitsOnly({ dailyNeedleMs: 100 * S }), () => today);
    work(engine, 'ana', 0, 101);
    expect(engine.view('ana', 101 * S).current?.kind).toBe('daily');
    today = 'tuesday';
    expect(seen(engine.tick(102 * S))).toEqual([ev(102, 'limit-lifted', 'daily')]);
    expect(engine.view('ana', 102 * S).needleMsToday).toBe(0);
  });
});

describe('break engine: operators', () => {
  it('each operator has their own fatigue: two operators break at their own seconds', () => {
    const engine = engineWith();
    const events: EngineEvent[] = [];
    const dots: Record<string, boolean> = {};
    for (let s = 0; s < 2200; s++) {
      events.push(...engine.sample('ana', s * S, true));
      if (s >= 600) events.push(...engine.sample('ben', s * S, true));
      events.push(...engine.tick(s * S));
      if (s === 1550) for (const id of ['ana', 'ben']) dots[id] = engine.dot(id, s * S).violation;
    }
    const by = (id: string) => seen(events.filter((e) => e.operatorId === id));
    expect(by('ana')).toEqual([...firstMicro, ev(1620, 'served', 'micro')]);
    expect(by('ben')).toEqual([ev(1800, 'warning', 'micro', 5 * MIN), ev(2040, 'warning', 'micro', MIN), ev(2100, 'break', 'micro', 2 * MIN)]);
    // At 1550 s Ana is on her break and Ben is working: only Ana's dot is a violation.
    expect(dots).toEqual({ ana: true, ben: false });
    expect(engine.view('ben', 2_199 * S).violationsToday).toBe(0);
    expect(engine.operators().sort()).toEqual(['ana', 'ben']);
  });

  it('fatigue follows the operator from chair to chair: a move of 30 s resets nothing', () => {
    const engine = engineWith();
    // 1000 s at one chair, 30 s walking to the other, then on: the engine knows only the operator.
    const events = seen(work(engine, 'ana', 0, 1600, (s) => s < 1000 || s >= 1030));
    expect(events).toEqual([ev(1230, 'warning', 'micro', 5 * MIN), ev(1470, 'warning', 'micro', MIN), ev(1530, 'break', 'micro', 2 * MIN)]);
  });
});

describe('break engine: view', () => {
  it('shows working with the next break counting down, then the break in force with its end', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 1);
    expect(engine.view('ana', 0)).toEqual({
      operatorId: 'ana',
      state: 'working',
      current: null,
      next: { kind: 'micro', workLeftMs: 25 * MIN, dueAt: null },
      warned: false,
      postponesLeft: 2,
      postponedToday: 0,
      violationsToday: 0,
      needleMsToday: 0,
    });
    work(engine, 'ana', 1, 1200);
    expect(engine.view('ana', 1_199 * S)).toMatchObject({ next: { kind: 'micro', workLeftMs: 301 * S }, warned: false });
    work(engine, 'ana', 1200, 1201);
    expect(engine.view('ana', 1_200 * S)).toMatchObject({ next: { kind: 'micro', workLeftMs: 300 * S }, warned: true });
    work(engine, 'ana', 1201, 1501);
    expect(engine.view('ana', 1_500 * S)).toMatchObject({
      operatorId: 'ana',
      state: 'on-break',
      current: { kind: 'micro', startedAt: 1_500 * S, until: 1_620 * S },
      next: null,
      warned: false,
      postponesLeft: 2,
      postponedToday: 0,
      violationsToday: 0,
      needleMsToday: 1_500 * S,
    });
    work(engine, 'ana', 1501, 1621);
    expect(engine.view('ana', 1_620 * S)).toMatchObject({ state: 'working', current: null, next: { kind: 'micro', workLeftMs: 25 * MIN }, warned: false });
  });
});

describe('break engine: persistence', () => {
  it('an engine restored from the state exported mid-break serves the break at the same second as the original', () => {
    const original = engineWith();
    work(original, 'ana', 0, 1550);
    const saved = original.exportState('ana');
    expect(saved?.current).toMatchObject({ kind: 'micro', startedAt: 1_500 * S, until: 1_620 * S });

    // Stored as JSON, read back after a restart.
    const restarted = engineWith();
    restarted.restore('ana', JSON.parse(JSON.stringify(saved)));
    expect(restarted.view('ana', 1_550 * S)).toEqual(original.view('ana', 1_550 * S));
    const after = seen(work(restarted, 'ana', 1550, 3200));
    expect(after).toEqual(seen(work(original, 'ana', 1550, 3200)));
    expect(after).toEqual([
      ev(1620, 'served', 'micro'),
      ev(2820, 'warning', 'micro', 5 * MIN),
      ev(3060, 'warning', 'micro', MIN),
      ev(3120, 'break', 'micro', 2 * MIN),
    ]);
  });

  it('the exported state is a copy, and an unknown operator has none', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 100);
    const saved = engine.exportState('ana')!;
    saved.needleMsToday = 0;
    expect(engine.view('ana', 99 * S).needleMsToday).toBe(99 * S);
    expect(engine.exportState('nobody')).toBeUndefined();
  });
});

describe('break engine: late and postponed', () => {
  it('a postponed micro-pause never puts off the rest: the rest starts when its needle time is up', () => {
    // Micro-pause after 25 min of work, rest after 28: the micro-pause put off by 5 min would pass the rest.
    const engine = engineWith({ ...defaultBreakPolicy, restEveryMs: 28 * MIN });
    work(engine, 'ana', 0, 1501);
    expect(engine.view('ana', 1500 * S).current?.kind).toBe('micro');
    expect(engine.postpone('ana', 1500 * S).result).toEqual({ ok: true, byMs: 5 * MIN });
    const next = work(engine, 'ana', 1501, 1900).find((e) => e.type === 'break')!;
    expect(seen([next])).toEqual([ev(1680, 'break', 'rest', 10 * MIN)]);
  });

  it('a dot delivered late does not take the engine back a day', () => {
    const engine = new BreakEngine(defaultBreakPolicy, (at) => (at < 600 * S ? 'day-1' : 'day-2'));
    work(engine, 'ana', 0, 700);
    const today = engine.view('ana', 699 * S).needleMsToday;
    expect(today).toBe(99 * S);
    engine.dot('ana', 300 * S); // made yesterday, delivered now
    expect(engine.view('ana', 699 * S).needleMsToday).toBe(today);
  });
});

describe('break engine: looking is not touching', () => {
  it('viewing an operator the engine has not met shows them fresh and keeps nothing', () => {
    const engine = engineWith();
    expect(engine.view('stranger', 0)).toMatchObject({ state: 'working', needleMsToday: 0, current: null });
    expect(engine.operators()).toEqual([]);
    expect(engine.exportState('stranger')).toBeUndefined();
  });
});

describe('break engine: dots delivered late', () => {
  it('a dot made during a break but delivered after its end is a violation all the same; one made after it is not', () => {
    const engine = engineWith();
    work(engine, 'ana', 0, 1501);
    wait(engine, 1501, 1700); // the micro-pause 1500–1620 s is over
    expect(engine.view('ana', 1700 * S).current).toBeNull();
    expect(engine.dot('ana', 1_600 * S).violation).toBe(true);
    expect(engine.dot('ana', 1_650 * S).violation).toBe(false);
    expect(engine.view('ana', 1700 * S).violationsToday).toBe(1);
  });
});

describe('break engine: the grace at a break\'s end', () => {
  it('a late dot within the grace of the end of the break just over is no violation: the clocks may differ by as much', () => {
    const engine = new BreakEngine(defaultBreakPolicy, oneDay, 2 * S);
    work(engine, 'ana', 0, 1501);
    wait(engine, 1501, 1700);
    expect(engine.dot('ana', 1_619 * S).violation).toBe(false);
    expect(engine.dot('ana', 1_610 * S).violation).toBe(true);
  });
});

describe('fatigue brings the micro-pause forward', () => {
  const bringsForward: BreakPolicy = { ...defaultBreakPolicy, fatigueResponse: 'break' };
  const reason = 'dwell variability +45 %';

  it('with 13 min of needle time (more than half the 25 min interval), a sign of fatigue at second T starts the micro-pause at T', () => {
    const engine = engineWith(bringsForward);
    expect(work(engine, 'ana', 0, 781)).toEqual([]);
    expect(engine.view('ana', 780 * S).needleMsToday).toBe(13 * MIN);

    const events = engine.fatigue('ana', 780 * S, reason);
    expect(seen(events)).toEqual([ev(780, 'break', 'micro', defaultBreakPolicy.microDurationMs)]);
    expect(events[0]!.detail.startsWith('brought forward:')).toBe(true);
    expect(events[0]!.detail).toContain(reason);
    expect(engine.view('ana', 780 * S)).toMatchObject({ state: 'on-break', current: { kind: 'micro', startedAt: 780 * S, until: 900 * S } });
    // Served microDurationMs later, at the exact second.
    expect(seen(work(engine, 'ana', 781, 900))).toEqual([]);
    expect(seen(work(engine, 'ana', 900, 901))).toEqual([ev(900, 'served', 'micro')]);
  });

  it('at exactly half the interval of needle time it is brought forward; a second short of it, not', () => {
    const engine = engineWith(bringsForward);
    work(engine, 'ana', 0, 750);
    expect(engine.fatigue('ana', 749 * S, reason)).toEqual([]);
    work(engine, 'ana', 750, 751);
    expect(seen(engine.fatigue('ana', 750 * S, reason))).toEqual([ev(750, 'break', 'micro', 2 * MIN)]);
  });

  it('with 12 min of needle time (less than half the interval), a sign of fatigue changes nothing', () => {
    const engine = engineWith(bringsForward);
    work(engine, 'ana', 0, 721);
    expect(engine.fatigue('ana', 720 * S, reason)).toEqual([]);
    expect(engine.view('ana', 720 * S)).toMatchObject({ state: 'working', next: { kind: 'micro', workLeftMs: 13 * MIN } });
    // The micro-pause comes when its needle time is up, as always.
    expect(seen(work(engine, 'ana', 721, 1501))).toEqual(firstMicro);
  });

  it('with the clinic\'s response set to hint or off, a sign of fatigue changes nothing', () => {
    for (const fatigueResponse of ['hint', 'off'] as const) {
      const engine = engineWith({ ...defaultBreakPolicy, fatigueResponse });
      work(engine, 'ana', 0, 1201);
      expect(engine.fatigue('ana', 1_200 * S, reason), fatigueResponse).toEqual([]);
      expect(engine.view('ana', 1_200 * S).state, fatigueResponse).toBe('working');
      expect(seen(work(engine, 'ana', 1201, 1501)), fatigueResponse).toEqual(firstMicro.slice(1));
    }
  });

  it('during a break in force a sign of fatigue changes nothing: not its end, not its kind', () => {
    const engine = engineWith(bringsForward);
    work(engine, 'ana', 0, 1551);
    expect(engine.fatigue('ana', 1_550 * S, reason)).toEqual([]);
    expect(engine.view('ana', 1_550 * S).current).toEqual({ kind: 'micro', startedAt: 1_500 * S, until: 1_620 * S, violations: 0 });
    expect(seen(work(engine, 'ana', 1551, 1621))).toEqual([ev(1620, 'served', 'micro')]);

    // Nor during a limit, though more than half the micro-pause interval has been worked.
    const limited = engineWith({ ...limitsOnly({ maxSessionMs: 100 * S }), fatigueResponse: 'break', microEveryMs: 150 * S, microDurationMs: 10 * S });
    limited.sessionStarted('ana', 0);
    work(limited, 'ana', 0, 111);
    expect(limited.view('ana', 110 * S).current).toMatchObject({ kind: 'session', startedAt: 100 * S });
    expect(limited.fatigue('ana', 110 * S, reason)).toEqual([]);
    expect(limited.view('ana', 110 * S).current).toMatchObject({ kind: 'session', startedAt: 100 * S, until: null });
  });

  it('after the brought-forward pause the micro counter starts from zero: the next falls due a full interval later', () => {
    const engine = engineWith(bringsForward);
    work(engine, 'ana', 0, 781);
    engine.fatigue('ana', 780 * S, reason);
    // Served at 900 s; 25 min of needle work after it, with the usual warnings.
    expect(seen(work(engine, 'ana', 781, 2401))).toEqual([
      ev(900, 'served', 'micro'),
      ev(2100, 'warning', 'micro', 5 * MIN),
      ev(2340, 'warning', 'micro', MIN),
      ev(2400, 'break', 'micro', 2 * MIN),
    ]);
  });

  it('after the brought-forward pause, fatigue brings the next one forward again once half the interval has passed', () => {
    const engine = engineWith(bringsForward);
    work(engine, 'ana', 0, 781);
    engine.fatigue('ana', 780 * S, reason);
    // Served at 900 s: half the interval is 750 s of needle time after it.
    work(engine, 'ana', 781, 1650);
    expect(engine.fatigue('ana', 1_649 * S, reason)).toEqual([]);
    work(engine, 'ana', 1650, 1651);
    const events = engine.fatigue('ana', 1_650 * S, 'time between dots +20 %');
    expect(seen(events)).toEqual([ev(1650, 'break', 'micro', 2 * MIN)]);
    expect(events[0]!.detail).toBe('brought forward: time between dots +20 %');
  });

  it('a micro-pause brought forward does not reset the rest break: it still comes at 90 min of needle time', () => {
    const policy: BreakPolicy = { ...defaultBreakPolicy, fatigueResponse: 'break', microEveryMs: 60 * MIN, restEveryMs: 90 * MIN, warnBeforeMs: [] };
    const engine = engineWith(policy);
    work(engine, 'ana', 0, 1801);
    expect(seen(engine.fatigue('ana', 1_800 * S, reason))).toEqual([ev(1800, 'break', 'micro', 2 * MIN)]);
    // 30 min of needle time before the pause, 60 min after it (served at 1920 s): the rest at 5520 s.
    const breaks = seen(work(engine, 'ana', 1801, 5521)).filter((e) => e.type === 'break');
    expect(breaks).toEqual([ev(5520, 'break', 'rest', 10 * MIN)]);
  });
});
