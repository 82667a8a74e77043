import { describe, expect, it } from 'vitest';
import { defaultAlarmSettings, type Condition } from '../protocol/alarms.ts';
import { CYCLE_BAND_HZ } from '../protocol/live.ts';
import { AlarmBook, type AlarmChangeEvent } from './alarm-book.ts';
import { ChairConditions, TIMING, type ConditionChange } from './conditions.ts';

/**
 * ChairConditions reads no clock: every call carries its moment. These tests are the clock,
 * feeding one telemetry sample every 100 ms and checking each change at the exact ms it must come.
 */
const S = 1_000;
const MIN = 60 * S;
const STEP = 100;

/** A change as the tests compare it: when, which condition, on or off (the detail is checked apart). */
const brief = (changes: ConditionChange[]) => changes.map(({ at, condition, on }) => ({ at, condition, on }));
const on = (at: number, condition: Condition) => ({ at, condition, on: true });
const off = (at: number, condition: Condition) => ({ at, condition, on: false });

interface Feed {
  /** The cycle rate at each moment. */
  hz: number | ((at: number, i: number) => number);
  running?: boolean | ((at: number) => boolean);
  battery?: number | ((at: number) => number);
  /** Tick after each sample too (offline, silence, holds). */
  tick?: boolean;
  /** Ms between samples. */
  step?: number;
}

/** Samples at [from, to) every 100 ms (or `step`). Returns every change, in order. */
function feed(c: ChairConditions, from: number, to: number, { hz, running = true, battery, tick = false, step = STEP }: Feed): ConditionChange[] {
  const changes: ConditionChange[] = [];
  for (let at = from, i = 0; at < to; at += step, i++) {
    const rate = typeof hz === 'function' ? hz(at, i) : hz;
    const run = typeof running === 'function' ? running(at) : running;
    const pct = typeof battery === 'function' ? battery(at) : battery;
    changes.push(...c.sample(at, rate, run, pct));
    if (tick) changes.push(...c.tick(at));
  }
  return changes;
}

/** Only ticks, every 100 ms at [from, to): time passes, the handpiece says nothing. */
function wait(c: ChairConditions, from: number, to: number): ConditionChange[] {
  const changes: ConditionChange[] = [];
  for (let at = from; at < to; at += STEP) changes.push(...c.tick(at));
  return changes;
}

/** A chair in an open session with its handpiece online from t = 0. */
function inSession(at = 0): ChairConditions {
  const c = new ChairConditions();
  c.device(true, at);
  c.session(true, at);
  return c;
}

/** What the server does with the changes: each one raises or clears the chair's alarm. */
function toBook(book: AlarmBook, changes: ConditionChange[], chairId = 'chair-1'): AlarmChangeEvent[] {
  return changes.flatMap((ch) => (ch.on ? book.raise(chairId, ch.condition, ch.at, ch.detail, 'op-1') : book.clear(chairId, ch.condition, ch.at, ch.detail)));
}

/** A small seeded generator, so that a "random" scenario is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IN = 125;
const HIGH = 160;
const LOW = 90;

describe('cycle-out-of-band: raising', () => {
  it('the band and its margin are what the timings say', () => {
    expect(CYCLE_BAND_HZ).toEqual({ min: 100, max: 150 });
    expect(TIMING.outOfBandMs).toBe(5 * S);
    expect(TIMING.backInBandMs).toBe(5 * S);
    expect(TIMING.bandMarginHz).toBe(2);
  });

  it('a single out-of-band sample raises nothing', () => {
    const c = inSession();
    expect(c.sample(0, 180, true, undefined)).toEqual([]);
    expect(feed(c, STEP, 20 * S, { hz: IN })).toEqual([]);
    expect(c.isOn('cycle-out-of-band')).toBe(false);
  });

  it('a running needle above the band for 5 s raises it at exactly 5 s, not at 4.9 s', () => {
    const c = inSession();
    expect(feed(c, 0, 5 * S, { hz: HIGH })).toEqual([]);
    expect(c.isOn('cycle-out-of-band')).toBe(false);
    const changes = feed(c, 5 * S, 5 * S + STEP, { hz: HIGH });
    expect(brief(changes)).toEqual([on(5 * S, 'cycle-out-of-band')]);
    expect(changes[0]?.detail).toBe('160 Hz, outside 100–150 Hz');
    expect(c.isOn('cycle-out-of-band')).toBe(true);
  });

  it('below the band counts the same as above it', () => {
    const c = inSession();
    expect(brief(feed(c, 0, 10 * S, { hz: LOW }))).toEqual([on(5 * S, 'cycle-out-of-band')]);
  });

  it('staying out of band after it is raised reports nothing more', () => {
    const c = inSession();
    expect(brief(feed(c, 0, 10 * MIN, { hz: HIGH }))).toEqual([on(5 * S, 'cycle-out-of-band')]);
  });

  it('the band edges themselves (100 and 150 Hz) are in band', () => {
    const c = inSession();
    expect(feed(c, 0, 30 * S, { hz: (_at, i) => (i % 2 ? CYCLE_BAND_HZ.min : CYCLE_BAND_HZ.max) })).toEqual([]);
    expect(brief(feed(c, 30 * S, 40 * S, { hz: 150.1 }))).toEqual([on(35 * S, 'cycle-out-of-band')]);
  });

  it('one sample well inside the band no longer restarts the count: the time out of band adds up', () => {
    const c = inSession();
    const hz = (at: number) => (at === 3 * S ? 125 : HIGH);
    // Out 2.9 s up to the dip at 3 s (the steps into and out of it are not out-of-band time), 2.1 s more from 3.1 s.
    expect(brief(feed(c, 0, 10 * S, { hz }))).toEqual([on(5_200, 'cycle-out-of-band')]);
  });

  it('the inner edges of the margin (102 and 148 Hz) are well inside: each ends the stretch out of band, so the margin after it does not count', () => {
    for (const inner of [102, 148]) {
      const c = inSession();
      const hz = (at: number) => (at < 3 * S ? HIGH : at === 3 * S ? inner : at < 6 * S ? 149 : HIGH);
      // 2.9 s out, then 3 s in the margin that count for nothing, then 2.1 s more from the step out at 6 s.
      expect(brief(feed(c, 0, 10 * S, { hz }))).toEqual([on(8_100, 'cycle-out-of-band')]);
    }
  });

  it('samples in the margin (149 or 101 Hz) do not restart the out-of-band timer', () => {
    for (const margin of [149, 101, 148.5]) {
      const c = inSession();
      const hz = (at: number) => (at >= 2 * S && at < 4 * S ? margin : HIGH);
      expect(brief(feed(c, 0, 10 * S, { hz }))).toEqual([on(5 * S, 'cycle-out-of-band')]);
    }
  });

  it('only needle time counts: an idle 180 Hz raises nothing, and a pause between strokes neither adds to the time out of band nor restarts it', () => {
    const c = inSession();
    expect(feed(c, 0, 30 * S, { hz: 180, running: false })).toEqual([]);
    const running = (at: number) => at !== 33 * S;
    // 2.9 s out of band before the pause at 33.0 s, then 2.1 s more from 33.1 s: 5 s of needle time at 35.2 s.
    expect(brief(feed(c, 30 * S, 40 * S, { hz: 180, running }))).toEqual([on(35_200, 'cycle-out-of-band')]);
  });
});

describe('cycle-out-of-band: clearing', () => {
  /** Out of band from 0: raised at 5 s; the samples go on out of band until 10 s. */
  function raised(): ChairConditions {
    const c = inSession();
    expect(brief(feed(c, 0, 10 * S, { hz: HIGH }))).toEqual([on(5 * S, 'cycle-out-of-band')]);
    return c;
  }

  it('5 s well inside the band clears it at exactly 5 s, not at 4.9 s', () => {
    const c = raised();
    expect(feed(c, 10 * S, 15 * S, { hz: IN })).toEqual([]);
    expect(c.isOn('cycle-out-of-band')).toBe(true);
    const changes = feed(c, 15 * S, 20 * S, { hz: IN });
    expect(brief(changes)).toEqual([off(15 * S, 'cycle-out-of-band')]);
    expect(changes[0]?.detail).toBe('back in band');
  });

  it('a rate back in the margin (149 Hz) never clears it, however long it stays', () => {
    const c = raised();
    expect(feed(c, 10 * S, 10 * MIN, { hz: 149 })).toEqual([]);
    expect(feed(c, 10 * MIN, 11 * MIN, { hz: 101 })).toEqual([]);
    expect(c.isOn('cycle-out-of-band')).toBe(true);
  });

  it('one out-of-band sample restarts the back-in-band timer', () => {
    const c = raised();
    const hz = (at: number) => (at === 13 * S ? HIGH : IN);
    expect(brief(feed(c, 10 * S, 30 * S, { hz }))).toEqual([off(18_100, 'cycle-out-of-band')]);
  });

  it('margin samples neither clear it nor count as back in band: 1.9 s well inside, 2 s in the margin, then 3.1 s more clears it at 17.1 s', () => {
    const c = raised();
    const hz = (at: number) => (at >= 12 * S && at < 14 * S ? 149 : IN);
    expect(brief(feed(c, 10 * S, 30 * S, { hz }))).toEqual([off(17_100, 'cycle-out-of-band')]);
  });

  it('a stopped needle does not clear it, however long it rests: the rate must be seen back in band while working', () => {
    const c = raised();
    expect(brief(feed(c, 10 * S, 60 * S, { hz: HIGH, running: false }))).toEqual([]);
    expect(brief(feed(c, 60 * S, 70 * S, { hz: IN }))).toEqual([off(65_000, 'cycle-out-of-band')]);
  });

  it('out, back, out again: each episode turns it on and off once', () => {
    const c = inSession();
    const hz = (at: number) => (at < 10 * S ? HIGH : at < 20 * S ? IN : at < 30 * S ? LOW : IN);
    expect(brief(feed(c, 0, 40 * S, { hz }))).toEqual([
      on(5 * S, 'cycle-out-of-band'),
      off(15 * S, 'cycle-out-of-band'),
      on(25 * S, 'cycle-out-of-band'),
      off(35 * S, 'cycle-out-of-band'),
    ]);
  });
});

describe('cycle-out-of-band: a fault that comes and goes', () => {
  it('the needle of issue 18 (2 s at 170 Hz, a quarter second back at 125 Hz, out again) raises it at 5.6 s, not at 5.55 s', () => {
    const c = inSession();
    // Samples every 50 ms: 40 out, 5 back in band, and so on. Each 2 s out adds 1.95 s out of band
    // (the steps into and out of the dip add nothing): 3.9 s by 4.2 s, then 1.1 s more from 4.5 s.
    const hz = (_at: number, i: number) => (i % 45 < 40 ? 170 : 125);
    expect(feed(c, 0, 5_600, { hz, step: 50 })).toEqual([]);
    const changes = feed(c, 5_600, 5_650, { hz: 170, step: 50 });
    expect(brief(changes)).toEqual([on(5_600, 'cycle-out-of-band')]);
    expect(changes[0]?.detail).toBe('170 Hz, outside 100–150 Hz');
  });

  it('out-of-band time adds up across a dip well into the band: 3.9 s, a 2 s dip, then 1.1 s more raises it at 7.1 s', () => {
    const c = inSession();
    const hz = (at: number) => (at < 4 * S || at >= 6 * S ? HIGH : IN);
    expect(brief(feed(c, 0, 10 * S, { hz }))).toEqual([on(7_100, 'cycle-out-of-band')]);
  });

  it('out-of-band time older than the last 10 s of needle time no longer counts: 2.9 s, a 6 s dip, then 5 s more', () => {
    const c = inSession();
    const hz = (at: number) => (at < 3 * S || at >= 9 * S ? HIGH : IN);
    // Counted for ever, 2.9 s + 2.1 s would raise it at 11.1 s; the first 2.9 s leave the window as the new time comes in.
    expect(brief(feed(c, 0, 20 * S, { hz }))).toEqual([on(14 * S, 'cycle-out-of-band')]);
  });

  it('the window runs on needle time: a minute\'s pause does not age out what came before it', () => {
    const c = inSession();
    const running = (at: number) => at < 3 * S || at >= 63 * S;
    // 2.9 s out before the pause, 2.1 s more from the first sample after it, at 63 s.
    expect(brief(feed(c, 0, 70 * S, { hz: HIGH, running }))).toEqual([on(65_100, 'cycle-out-of-band')]);
  });

  it('out of band 4 s in every 10 s, for ten minutes, never raises it: never half the window', () => {
    const c = inSession();
    const hz = (_at: number, i: number) => (i % 100 < 40 ? HIGH : IN);
    expect(feed(c, 0, 10 * MIN, { hz, tick: true })).toEqual([]);
  });

  it('a needle drifting in and out of band for ten minutes is one alarm: raised once, escalated once, never cleared', () => {
    const c = inSession();
    const book = new AlarmBook(defaultAlarmSettings, counter());
    const changes: ConditionChange[] = [];
    const events: AlarmChangeEvent[] = [];
    for (let at = 0, i = 0; at < 10 * MIN; at += 50, i++) {
      const now = [...c.sample(at, i % 45 < 40 ? 170 : 125, true, undefined), ...c.tick(at)];
      changes.push(...now);
      events.push(...toBook(book, now), ...book.tick(at));
    }
    expect(brief(changes)).toEqual([on(5_600, 'cycle-out-of-band')]);
    expect(events.map((e) => [e.change, e.at])).toEqual([
      ['raised', 5_600],
      ['escalated', 5_600 + defaultAlarmSettings.escalateAfterMs],
    ]);
  });
});

describe('cycle-out-of-band: no flood at the band edge', () => {
  const TEN_MIN = 10 * MIN;

  it('a rate hovering at the band edge (149.5/150.5 Hz) for ten minutes raises one alarm, not hundreds', () => {
    const c = inSession();
    const book = new AlarmBook(defaultAlarmSettings, counter());
    const hz = (_at: number, i: number) => (i % 2 === 0 ? 150.5 : 149.5);
    let crossings = 0;
    let last = true;
    const changes: ConditionChange[] = [];
    const events: AlarmChangeEvent[] = [];
    for (let at = 0, i = 0; at < TEN_MIN; at += STEP, i++) {
      const rate = hz(at, i);
      const inBand = rate <= CYCLE_BAND_HZ.max;
      if (inBand !== last) crossings++;
      last = inBand;
      const now = [...c.sample(at, rate, true, undefined), ...c.tick(at)];
      changes.push(...now);
      events.push(...toBook(book, now), ...book.tick(at));
    }
    // The input crosses the edge thousands of times…
    expect(crossings).toBeGreaterThan(5_000);
    // …the condition turns on once and stays on; the alarm is raised once and escalates once.
    expect(brief(changes)).toEqual([on(5 * S, 'cycle-out-of-band')]);
    expect(events.map((e) => [e.change, e.at])).toEqual([
      ['raised', 5 * S],
      ['escalated', 5 * S + defaultAlarmSettings.escalateAfterMs],
    ]);
    expect(events.length).toBeLessThanOrEqual(3);
    expect(book.open()).toHaveLength(1);
  });

  it('a rate hovering at the lower edge (99.5/100.5 Hz) for ten minutes also raises one alarm', () => {
    const c = inSession();
    const changes = feed(c, 0, TEN_MIN, { hz: (_at, i) => (i % 2 === 0 ? 99.5 : 100.5), tick: true });
    expect(brief(changes)).toEqual([on(5 * S, 'cycle-out-of-band')]);
  });

  it('a rate jittering at random between 147 and 153 Hz for ten minutes makes at most a handful of alarm events', () => {
    for (const seed of [1, 2, 3, 42, 2024]) {
      const random = mulberry32(seed);
      const c = inSession();
      const book = new AlarmBook(defaultAlarmSettings, counter());
      const changes: ConditionChange[] = [];
      const events: AlarmChangeEvent[] = [];
      let outSamples = 0;
      for (let at = 0; at < TEN_MIN; at += STEP) {
        const rate = 147 + 6 * random();
        if (rate > CYCLE_BAND_HZ.max) outSamples++;
        const now = [...c.sample(at, rate, true, undefined), ...c.tick(at)];
        changes.push(...now);
        events.push(...toBook(book, now), ...book.tick(at));
      }
      // About half the samples are out of band: a per-sample rule would alarm thousands of times.
      expect(outSamples).toBeGreaterThan(2_000);
      expect(changes.length).toBeLessThanOrEqual(2);
      expect(events.length).toBeLessThanOrEqual(3);
    }
  });

  it('a rate wandering between 147 and 153 Hz changes the condition only on 5 s of evidence, and stays one alarm', () => {
    // A random walk (steps up to ±1 Hz every 100 ms) is not a hover: it spends whole seconds well
    // inside the band and whole seconds out of it, so it may turn the condition on and off a few
    // times. What it must never do is follow a crossing: turning on needs 5 s out of band (or in the
    // margin after it) within the last 10 s, turning off 5 s with no sample out of band.
    for (const seed of [7, 8, 9, 10, 11]) {
      const random = mulberry32(seed);
      const c = inSession();
      const book = new AlarmBook(defaultAlarmSettings, counter());
      const rates = new Map<number, number>();
      const changes: ConditionChange[] = [];
      const events: AlarmChangeEvent[] = [];
      let rate = 150;
      let crossings = 0;
      for (let at = 0; at < TEN_MIN; at += STEP) {
        const next = Math.min(153, Math.max(147, rate + (random() - 0.5) * 2));
        if (next > CYCLE_BAND_HZ.max !== rate > CYCLE_BAND_HZ.max) crossings++;
        rate = next;
        rates.set(at, rate);
        const now = [...c.sample(at, rate, true, undefined), ...c.tick(at)];
        changes.push(...now);
        events.push(...toBook(book, now), ...book.tick(at));
      }
      expect(crossings).toBeGreaterThan(200);
      expect(changes.length).toBeGreaterThan(0);
      expect(changes.length).toBeLessThan(crossings / 10);
      const outOfBand = (hz: number) => hz > CYCLE_BAND_HZ.max;
      const notWellIn = (hz: number) => hz < 102 || hz > 148;
      const before = (at: number, ms: number) => [...rates].filter(([t]) => t >= at - ms && t <= at).map(([, hz]) => hz);
      for (const [i, change] of changes.entries()) {
        expect(change.condition).toBe('cycle-out-of-band');
        expect(change.on).toBe(i % 2 === 0);
        if (change.on) {
          // 5 s of 100 ms steps between samples not well inside the band: at least 51 such samples of the last 101.
          expect(outOfBand(rates.get(change.at)!)).toBe(true);
          expect(before(change.at, TIMING.outOfBandWindowMs).filter(notWellIn).length).toBeGreaterThanOrEqual(51);
        } else {
          const window = before(change.at, TIMING.backInBandMs);
          expect(window).toHaveLength(51);
          expect(window.some(outOfBand)).toBe(false);
        }
      }
      // Nobody acknowledges it: the one alarm latches and repeats, it is never raised twice.
      expect(events.filter((e) => e.change === 'raised')).toHaveLength(1);
      expect(new Set(events.map((e) => e.alarm.id)).size).toBe(1);
      expect(events.filter((e) => e.change === 'escalated')).toHaveLength(1);
    }
  });
});

describe('battery-low', () => {
  it('turns on below 15%, not at 15%', () => {
    const c = inSession();
    expect(c.sample(0, IN, true, 15)).toEqual([]);
    expect(brief(c.sample(100, IN, true, 14.9))).toEqual([on(100, 'battery-low')]);
  });

  it('16–19% changes nothing either way: it stays on once on, and stays off once off', () => {
    const c = inSession();
    const raised = c.sample(0, IN, true, 14);
    expect(brief(raised)).toEqual([on(0, 'battery-low')]);
    expect(raised[0]?.detail).toBe('battery at 14%');
    for (const pct of [15, 16, 17, 18, 19, 19.9]) expect(c.sample(pct * S, IN, true, pct)).toEqual([]);
    expect(c.isOn('battery-low')).toBe(true);
    // The last reading under 20% came at 19.9 s: 20% clears it a minute later.
    const cleared = c.sample(80 * S, IN, true, 20);
    expect(brief(cleared)).toEqual([off(80 * S, 'battery-low')]);
    expect(cleared[0]?.detail).toBe('battery charged');
    for (const [i, pct] of [19.9, 17, 15].entries()) expect(c.sample(90 * S + i * S, IN, true, pct)).toEqual([]);
    expect(c.isOn('battery-low')).toBe(false);
  });

  it('a battery hovering at 15% for ten minutes turns it on once', () => {
    const c = inSession();
    const changes = feed(c, 0, 10 * MIN, { hz: IN, battery: (at) => (at % 200 === 0 ? 14.5 : 15.5) });
    expect(brief(changes)).toEqual([on(0, 'battery-low')]);
  });

  it('a reading at 20% or more clears it only once no reading under 20% came for a minute', () => {
    expect(TIMING.batteryOkHoldMs).toBe(MIN);
    const c = inSession();
    c.sample(0, IN, true, 14);
    c.sample(10 * S, IN, true, 19);
    expect(c.sample(69_900, IN, true, 25)).toEqual([]);
    expect(brief(c.sample(70 * S, IN, true, 25))).toEqual([off(70 * S, 'battery-low')]);
  });

  it('a reading that sags to 13% under load and recovers to 21% at rest is one alarm for ten minutes, not one per stroke', () => {
    const c = inSession();
    // Strokes of 3 s, rests of 2 s: the worn cell reads 13% while the needle runs, 21% while it rests.
    const running = (at: number) => at % (5 * S) < 3 * S;
    const changes = feed(c, 0, 10 * MIN, { hz: IN, running, battery: (at) => (running(at) ? 13 : 21), tick: true });
    expect(brief(changes)).toEqual([on(0, 'battery-low')]);
  });

  it('a sample without a battery reading changes nothing', () => {
    const c = inSession();
    c.sample(0, IN, true, 10);
    expect(feed(c, STEP, 10 * S, { hz: IN })).toEqual([]);
    expect(c.isOn('battery-low')).toBe(true);
  });
});

describe('device-offline', () => {
  it('turns on 10 s after the handpiece went offline during a session, not at 9.9 s', () => {
    const c = inSession();
    expect(c.device(false, 5 * S)).toEqual([]);
    expect(wait(c, 5 * S, 15 * S)).toEqual([]);
    const changes = c.tick(15 * S);
    expect(brief(changes)).toEqual([on(15 * S, 'device-offline')]);
    expect(changes[0]?.detail).toBe('offline for 10 s');
  });

  it('a reconnect within 10 s is no alarm', () => {
    const c = inSession();
    c.device(false, 0);
    expect(wait(c, 0, 9_900)).toEqual([]);
    expect(c.device(true, 9_900)).toEqual([]);
    expect(feed(c, 9_900, 60 * S, { hz: IN, tick: true })).toEqual([]);
  });

  it('coming back online clears it', () => {
    const c = inSession();
    c.device(false, 0);
    expect(brief(wait(c, 0, 20 * S))).toEqual([on(10 * S, 'device-offline')]);
    const changes = c.device(true, 30 * S);
    expect(brief(changes)).toEqual([off(30 * S, 'device-offline')]);
    expect(changes[0]?.detail).toBe('back online');
  });

  it('staying offline reports it once', () => {
    const c = inSession();
    c.device(false, 0);
    expect(brief(wait(c, 0, 10 * MIN))).toEqual([on(10 * S, 'device-offline')]);
  });

  it('an offline handpiece without a session is no alarm', () => {
    const c = new ChairConditions();
    c.device(true, 0);
    c.device(false, S);
    expect(wait(c, S, 10 * MIN)).toEqual([]);
  });

  it('a session opened while the handpiece is offline counts the 10 s from the session start', () => {
    const c = new ChairConditions();
    c.device(true, 0);
    c.device(false, S);
    c.session(true, 5 * MIN);
    expect(wait(c, 5 * MIN, 5 * MIN + 10 * S)).toEqual([]);
    expect(brief(c.tick(5 * MIN + 10 * S))).toEqual([on(5 * MIN + 10 * S, 'device-offline')]);
  });

  it('a session opened before the handpiece ever connected raises it after 10 s', () => {
    const c = new ChairConditions();
    c.session(true, 0);
    expect(brief(wait(c, 0, 11 * S))).toEqual([on(10 * S, 'device-offline')]);
  });
});

describe('device-silent', () => {
  it('an online handpiece with no sample for 15 s during a session turns it on at exactly 15 s', () => {
    const c = inSession();
    expect(feed(c, 0, 2 * S, { hz: IN, tick: true })).toEqual([]);
    // The last sample was at 1.9 s.
    expect(wait(c, 2 * S, 16_900)).toEqual([]);
    const changes = c.tick(16_900);
    expect(brief(changes)).toEqual([on(16_900, 'device-silent')]);
    expect(changes[0]?.detail).toBe('no telemetry for 15 s');
  });

  it('a session with no sample at all is silent 15 s after the handpiece came online', () => {
    const c = inSession(0);
    expect(brief(wait(c, 0, 16 * S))).toEqual([on(15 * S, 'device-silent')]);
  });

  it('a sample clears it', () => {
    const c = inSession();
    expect(brief(wait(c, 0, 20 * S))).toEqual([on(15 * S, 'device-silent')]);
    const changes = c.sample(20 * S, IN, true, undefined);
    expect(brief(changes)).toEqual([off(20 * S, 'device-silent')]);
    expect(changes[0]?.detail).toBe('telemetry again');
  });

  it('an offline handpiece is offline, not silent: going offline clears it and it does not come back', () => {
    const c = inSession();
    expect(brief(wait(c, 0, 20 * S))).toEqual([on(15 * S, 'device-silent')]);
    expect(brief(c.device(false, 20 * S))).toEqual([off(20 * S, 'device-silent')]);
    expect(brief(wait(c, 20 * S, 60 * S))).toEqual([on(30 * S, 'device-offline')]);
  });

  it('no session, no silence alarm', () => {
    const c = new ChairConditions();
    c.device(true, 0);
    expect(wait(c, 0, 10 * MIN)).toEqual([]);
  });

  it('coming back online gives the handpiece 15 s to send a sample', () => {
    const c = inSession();
    c.device(false, 0);
    c.device(true, 5 * S);
    expect(wait(c, 5 * S, 20 * S)).toEqual([]);
    expect(brief(c.tick(20 * S))).toEqual([on(20 * S, 'device-silent')]);
  });
});

describe('device-offline: a link that keeps dropping', () => {
  /** Whether the handpiece is away at `at`: 8 s in every 20 s from 0, the last drop being the one before `until`. */
  const away = (at: number, until: number) => at >= 0 && at % (20 * S) < 8 * S && at - (at % (20 * S)) < until;

  /** The flapping handpiece from `from` to `to`: telemetry every 100 ms while online, a tick every 100 ms. */
  function flapping(c: ChairConditions, from: number, to: number, until = Infinity): ConditionChange[] {
    const changes: ConditionChange[] = [];
    for (let at = from; at < to; at += STEP) {
      const gone = away(at, until);
      if (gone !== away(at - STEP, until)) changes.push(...c.device(!gone, at));
      if (!gone) changes.push(...c.sample(at, IN, true, undefined));
      changes.push(...c.tick(at));
    }
    return changes;
  }

  it('drops of 8 s every 20 s raise it during the third drop, at 44 s (20 s offline within the last 60 s), not at 43.9 s', () => {
    expect([TIMING.flappingMs, TIMING.flappingWindowMs]).toEqual([20 * S, MIN]);
    const c = inSession();
    expect(flapping(c, 0, 44 * S)).toEqual([]);
    const changes = flapping(c, 44 * S, 44 * S + STEP);
    expect(brief(changes)).toEqual([on(44 * S, 'device-offline')]);
    expect(changes[0]?.detail).toBe('the link keeps dropping: offline 20 s of the last 60 s');
  });

  it('stays one alarm while the link keeps dropping, back online or not, for ten minutes', () => {
    const c = inSession();
    expect(brief(flapping(c, 0, 10 * MIN))).toEqual([on(44 * S, 'device-offline')]);
  });

  it('once the link holds, it clears when the last 60 s hold less than 10 s offline: 39 s after the last drop', () => {
    const c = inSession();
    // The last drop is 9:40–9:48; the one before it, 9:20–9:28, leaves the window second by second from 10:20.
    const lastBack = 9 * MIN + 48 * S;
    const changes = flapping(c, 0, 12 * MIN, 9 * MIN + 41 * S);
    expect(brief(changes)).toEqual([on(44 * S, 'device-offline'), off(lastBack + 39 * S, 'device-offline')]);
    expect(changes[1]?.detail).toBe('back online, and the link holds');
  });

  it('two drops of 9 s within a minute are no alarm', () => {
    const c = inSession();
    const changes = [...c.device(false, 0), ...wait(c, 0, 9 * S), ...c.device(true, 9 * S), ...feed(c, 9 * S, 30 * S, { hz: IN, tick: true })];
    changes.push(...c.device(false, 30 * S), ...wait(c, 30 * S, 39 * S), ...c.device(true, 39 * S), ...feed(c, 39 * S, 5 * MIN, { hz: IN, tick: true }));
    expect(changes).toEqual([]);
  });

  it('a long outage counts only its first 10 s towards the window: it still clears the moment the handpiece is back', () => {
    const c = inSession();
    c.device(false, 0);
    expect(brief(wait(c, 0, 2 * MIN))).toEqual([on(10 * S, 'device-offline')]);
    const back = c.device(true, 2 * MIN);
    expect(brief(back)).toEqual([off(2 * MIN, 'device-offline')]);
    expect(back[0]?.detail).toBe('back online');
  });

  it('drops before the session do not count towards it', () => {
    const c = new ChairConditions();
    c.device(true, 0);
    flapping(c, 0, 2 * MIN + 10 * S);
    c.session(true, 2 * MIN + 10 * S);
    // Counting the drop at 2:00, the one at 2:40 would make 20 s at 2:44; from 2:10, it takes until 3:04.
    expect(flapping(c, 2 * MIN + 10 * S, 3 * MIN + 4 * S)).toEqual([]);
    expect(brief(flapping(c, 3 * MIN + 4 * S, 3 * MIN + 5 * S))).toEqual([on(3 * MIN + 4 * S, 'device-offline')]);
  });
});

describe('device-silent: telemetry that keeps stopping', () => {
  /** Samples every 100 ms for 10 s, then none for 10 s, from 0 until `until`; ticks every 100 ms. */
  function stalling(c: ChairConditions, from: number, to: number, until = Infinity): ConditionChange[] {
    const changes: ConditionChange[] = [];
    for (let at = from; at < to; at += STEP) {
      if (at >= until || at % (20 * S) < 10 * S) changes.push(...c.sample(at, IN, true, undefined));
      changes.push(...c.tick(at));
    }
    return changes;
  }

  it('stalls of 10 s every 20 s raise it during the second, at 39.8 s (20 s silent within the last 60 s), not at 39.7 s', () => {
    expect(TIMING.silenceGraceMs).toBe(5 * S);
    const c = inSession();
    // The first stall is 9.9–20 s: 10.1 s; the second, from 29.9 s, counts once it passes 5 s, whole.
    expect(stalling(c, 0, 39_800)).toEqual([]);
    const changes = stalling(c, 39_800, 39_900);
    expect(brief(changes)).toEqual([on(39_800, 'device-silent')]);
    expect(changes[0]?.detail).toBe('telemetry keeps stopping: silent 20 s of the last 60 s');
  });

  it('stays one alarm while telemetry keeps stopping, and clears at a sample once the last 60 s hold less than 10 s of silence', () => {
    const c = inSession();
    // The last stall is 9:29.9–9:40; from 9:40 telemetry flows.
    const changes = stalling(c, 0, 12 * MIN, 9 * MIN + 40 * S);
    // 9:29.9–9:40 is 10.1 s: under 10 s once the window's far edge passes 9:30, at 10:31.
    expect(brief(changes)).toEqual([on(39_800, 'device-silent'), off(10 * MIN + 31 * S, 'device-silent')]);
    expect(changes[1]?.detail).toBe('telemetry again');
  });

  it('gaps of up to 5 s are the spacing of a handpiece that sends in batches: samples 4.9 s apart are never silent', () => {
    const c = inSession();
    const changes: ConditionChange[] = [];
    for (let at = 0; at < 10 * MIN; at += STEP) {
      if (at % 4_900 === 0) changes.push(...c.sample(at, IN, true, undefined));
      changes.push(...c.tick(at));
    }
    expect(changes).toEqual([]);
  });
});

describe('needles-off-plan', () => {
  it('turns on with a dot off the planned needle count and off with a dot on it', () => {
    const c = inSession();
    expect(c.needles(0, 1, 1, 'hairline')).toEqual([]);
    const raised = c.needles(S, 3, 1, 'hairline');
    expect(brief(raised)).toEqual([on(S, 'needles-off-plan')]);
    expect(raised[0]?.detail).toBe('3 needles in hairline; the plan says 1');
    expect(c.needles(2 * S, 2, 1, 'hairline')).toEqual([]);
    // The last dot off the plan came at 2 s: one with the plan's needles clears it 30 s later.
    expect(brief(c.needles(32 * S, 1, 1, 'hairline'))).toEqual([off(32 * S, 'needles-off-plan')]);
  });

  it('a dot with the plan\'s needles clears it 30 s after the last dot off the plan, not at 29.9 s', () => {
    expect(TIMING.needlesOkHoldMs).toBe(30 * S);
    const c = inSession();
    c.needles(0, 3, 1, 'hairline');
    expect(c.needles(29_900, 1, 1, 'hairline')).toEqual([]);
    expect(brief(c.needles(30 * S, 1, 1, 'hairline'))).toEqual([off(30 * S, 'needles-off-plan')]);
  });

  it('a cartridge misreading one dot in five for ten minutes is one alarm, not one per misread dot', () => {
    const c = inSession();
    const book = new AlarmBook(defaultAlarmSettings, counter());
    const changes: ConditionChange[] = [];
    for (let i = 0; i < 1_200; i++) changes.push(...c.needles(i * 500, i % 5 === 4 ? 3 : 1, 1, 'hairline'));
    expect(brief(changes)).toEqual([on(2_000, 'needles-off-plan')]);
    expect(toBook(book, changes).map((e) => e.change)).toEqual(['raised']);
  });

  it('without a planned count nothing changes, whatever the needles', () => {
    const c = inSession();
    for (let i = 0; i < 100; i++) expect(c.needles(i * S, 1 + (i % 6), undefined, 'crown')).toEqual([]);
    expect(c.isOn('needles-off-plan')).toBe(false);
  });
});

describe('held findings: seen()', () => {
  /** Held findings need no session; without one, ticks notice no offline or silent handpiece. */
  const chair = () => new ChairConditions();

  it('turns on at once and is reported again while on, so that the alarm counts repeats', () => {
    const c = chair();
    expect(c.seen('overwork', 0, 'first')).toEqual([{ condition: 'overwork', on: true, at: 0, detail: 'first' }]);
    expect(c.seen('overwork', 10 * S, 'second')).toEqual([{ condition: 'overwork', on: true, at: 10 * S, detail: 'second' }]);
    expect(c.isOn('overwork')).toBe(true);
  });

  it('turns off exactly the hold time after the last sighting', () => {
    expect(TIMING.holdMs).toBe(2 * MIN);
    const c = chair();
    c.seen('seq-gap', 0, 'seq 10–12 lost');
    c.seen('seq-gap', MIN, 'seq 40–41 lost');
    expect(wait(c, 0, 3 * MIN)).toEqual([]);
    const changes = c.tick(3 * MIN);
    expect(brief(changes)).toEqual([off(3 * MIN, 'seq-gap')]);
    expect(changes[0]?.detail).toBe('not seen again');
    expect(wait(c, 3 * MIN, 10 * MIN)).toEqual([]);
  });

  it('each held condition keeps its own hold', () => {
    const c = chair();
    c.seen('overwork', 0, '');
    c.seen('refused-messages', 30 * S, '');
    expect(brief(wait(c, 0, 5 * MIN))).toEqual([off(2 * MIN, 'overwork'), off(2 * MIN + 30 * S, 'refused-messages')]);
  });

  it('seq gaps in bursts closer than the hold are one condition: each gap of each burst repeats it', () => {
    const c = chair();
    const changes: ConditionChange[] = [];
    // A burst of five gaps a second apart every 90 s, for ten minutes.
    for (let at = 0; at < 10 * MIN; at += STEP) {
      if (at % (90 * S) < 5 * S && at % S === 0) changes.push(...c.seen('seq-gap', at, 'lost'));
      changes.push(...c.tick(at));
    }
    expect(changes.every((ch) => ch.on)).toBe(true);
    expect(changes).toHaveLength(7 * 5);
  });

  it('seen again after it was let go, it turns on again', () => {
    const c = chair();
    c.seen('overwork', 0, '');
    wait(c, 0, 3 * MIN);
    expect(brief(c.seen('overwork', 3 * MIN, ''))).toEqual([on(3 * MIN, 'overwork')]);
  });

  it('a region over its target is never let go by the hold: only the session end clears it', () => {
    const c = inSession();
    c.seen('over-target', 0, 'crown at 112%');
    expect(feed(c, 0, 60 * MIN, { hz: IN, tick: true })).toEqual([]);
    expect(c.isOn('over-target')).toBe(true);
    expect(brief(c.session(false, 60 * MIN))).toEqual([off(60 * MIN, 'over-target')]);
  });
});

describe('breaks: break-violation and break-overdue', () => {
  it('dots made during a break keep break-violation on until the break is over', () => {
    const c = inSession();
    c.onBreak(true, 0);
    const raised = c.violation(S, '3 dots during the break');
    expect(brief(raised)).toEqual([on(S, 'break-violation')]);
    expect(raised[0]?.detail).toBe('3 dots during the break');
    expect(c.violation(2 * S, 'more dots')).toEqual([]);
    expect(feed(c, 2 * S, 10 * MIN, { hz: 0, running: false, tick: true })).toEqual([]);
    expect(brief(c.onBreak(false, 10 * MIN))).toEqual([off(10 * MIN, 'break-violation')]);
  });

  it('the needle running 30 s into a break turns break-overdue on at exactly 30 s', () => {
    expect(TIMING.overdueMs).toBe(30 * S);
    const c = inSession();
    c.onBreak(true, 0);
    expect(feed(c, 0, 30 * S, { hz: IN })).toEqual([]);
    expect(brief(feed(c, 30 * S, 60 * S, { hz: IN }))).toEqual([on(30 * S, 'break-overdue')]);
  });

  it('running before the break began does not count towards the 30 s', () => {
    const c = inSession();
    feed(c, 0, 60 * S, { hz: IN });
    c.onBreak(true, 60 * S);
    expect(brief(feed(c, 60 * S, 2 * MIN, { hz: IN }))).toEqual([on(90 * S, 'break-overdue')]);
  });

  it('a needle stopped for a moment during the break pauses the count of its needle time, it does not restart it', () => {
    const c = inSession();
    c.onBreak(true, 0);
    const running = (at: number) => at !== 20 * S;
    // 19.9 s of needle time up to the stop at 20 s, 10.1 s more from 20.1 s.
    expect(brief(feed(c, 0, 60 * S, { hz: IN, running }))).toEqual([on(30_200, 'break-overdue')]);
  });

  it('a needle run in strokes through the break (3 s on, 1 s off) raises it at 30 s of needle time, where 30 s in a row never comes', () => {
    const c = inSession();
    c.onBreak(true, 0);
    // 2.9 s of needle time per 4 s stroke: 29 s after ten strokes, 1 s more into the eleventh.
    const running = (at: number) => at % (4 * S) < 3 * S;
    expect(brief(feed(c, 0, 60 * S, { hz: IN, running }))).toEqual([on(41 * S, 'break-overdue')]);
  });

  it('a needle tried for 2 s each minute through a long break is not overdue: never 30 s within two minutes', () => {
    expect(TIMING.overdueWindowMs).toBe(2 * MIN);
    const c = inSession();
    c.onBreak(true, 0);
    const running = (at: number) => at % MIN < 2 * S;
    expect(feed(c, 0, 30 * MIN, { hz: IN, running })).toEqual([]);
  });

  it('a needle at rest through the break is not overdue', () => {
    const c = inSession();
    c.onBreak(true, 0);
    expect(feed(c, 0, 5 * MIN, { hz: 0, running: false })).toEqual([]);
  });

  it('the end of the break clears both', () => {
    const c = inSession();
    c.onBreak(true, 0);
    feed(c, 0, 40 * S, { hz: IN });
    c.violation(40 * S, 'dots');
    expect(c.isOn('break-overdue') && c.isOn('break-violation')).toBe(true);
    const changes = c.onBreak(false, 40 * S);
    expect(brief(changes)).toEqual([off(40 * S, 'break-overdue'), off(40 * S, 'break-violation')]);
    expect(changes.every((ch) => ch.detail === 'the break is over')).toBe(true);
    expect(feed(c, 40 * S, 2 * MIN, { hz: IN })).toEqual([]);
  });
});

describe('the session end', () => {
  it('clears every condition but those of the device itself (seq-gap, refused-messages, battery-low)', () => {
    const c = inSession();
    c.onBreak(true, 0);
    feed(c, 0, 40 * S, { hz: HIGH, battery: 10 });
    c.violation(40 * S, 'dots');
    c.needles(40 * S, 3, 1, 'crown');
    for (const held of ['over-target', 'overwork', 'postpone-limit', 'seq-gap', 'refused-messages'] as const) c.seen(held, 40 * S, '');
    c.device(false, 40 * S);
    wait(c, 40 * S, 51 * S);
    const before: Condition[] = [
      'cycle-out-of-band', 'battery-low', 'break-overdue', 'break-violation', 'needles-off-plan', 'over-target',
      'overwork', 'postpone-limit', 'seq-gap', 'refused-messages', 'device-offline',
    ];
    for (const cond of before) expect(c.isOn(cond), cond).toBe(true);

    const changes = c.session(false, MIN);
    const device: Condition[] = ['seq-gap', 'refused-messages', 'battery-low'];
    const cleared = before.filter((cond) => !device.includes(cond));
    expect(changes.map((ch) => ch.condition).sort()).toEqual([...cleared].sort());
    expect(changes.every((ch) => !ch.on && ch.at === MIN && ch.detail === 'the session ended')).toBe(true);
    for (const cond of cleared) expect(c.isOn(cond), cond).toBe(false);
    for (const cond of device) expect(c.isOn(cond), cond).toBe(true);
  });

  it('opening a session changes nothing by itself', () => {
    const c = new ChairConditions();
    c.device(true, 0);
    expect(c.session(true, 0)).toEqual([]);
  });

  it('samples still out of band just after the session ended do not raise it again at once', () => {
    const c = inSession();
    expect(brief(feed(c, 0, 10 * S, { hz: HIGH }))).toEqual([on(5 * S, 'cycle-out-of-band')]);
    expect(brief(c.session(false, 10 * S))).toEqual([off(10 * S, 'cycle-out-of-band')]);
    // Telemetry still in flight when the session ended: a second of the same rate.
    expect(feed(c, 10 * S + STEP, 11 * S, { hz: HIGH })).toEqual([]);
  });

  it('a new session does not inherit the last one\'s out-of-band time: one sample out of band is no alarm', () => {
    const c = inSession();
    feed(c, 0, 10 * S, { hz: HIGH });
    c.session(false, 10 * S);
    c.session(true, 10 * MIN);
    expect(c.sample(10 * MIN, HIGH, true, undefined)).toEqual([]);
    expect(brief(feed(c, 10 * MIN + STEP, 11 * MIN, { hz: HIGH }))).toEqual([on(10 * MIN + 5 * S, 'cycle-out-of-band')]);
  });

  it('a needle still running on a break when the session ended does not raise break-overdue again at once', () => {
    const c = inSession();
    c.onBreak(true, 0);
    expect(brief(feed(c, 0, 40 * S, { hz: IN }))).toEqual([on(30 * S, 'break-overdue')]);
    c.session(false, 40 * S);
    expect(feed(c, 40 * S + STEP, 41 * S, { hz: IN })).toEqual([]);
  });
});

function counter(): () => number {
  let n = 0;
  return () => ++n;
}

describe('outside a session', () => {
  it('a handpiece tried out between sessions raises no cycle-rate alarm, however long it runs out of band', () => {
    const c = new ChairConditions();
    c.device(true, 0);
    expect(brief(feed(c, 0, 60 * S, { hz: HIGH }))).toEqual([]);
  });

  it('a new session gives a quiet handpiece its full 15 s before it counts as silent', () => {
    const c = new ChairConditions();
    c.device(true, 0);
    c.session(true, 60 * S);
    expect(brief(wait(c, 60 * S, 60 * S + TIMING.silentMs - STEP))).toEqual([]);
    expect(brief(c.tick(60 * S + TIMING.silentMs))).toEqual([on(60 * S + TIMING.silentMs, 'device-silent')]);
  });
});

describe('after a restart', () => {
  it('a condition assumed from an alarm still open can clear: battery charged, a held finding let go after its hold', () => {
    const c = inSession();
    c.assume('battery-low', 0);
    c.assume('seq-gap', 0);
    expect(brief(feed(c, 0, S, { hz: IN, battery: 90 }))).toContainEqual(off(0, 'battery-low'));
    expect(brief(c.tick(TIMING.holdMs))).toContainEqual(off(TIMING.holdMs, 'seq-gap'));
  });
});
