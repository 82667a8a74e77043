import { describe, expect, it } from 'vitest';
import { emptyStats, mergeStats, MICRO_PAUSE_MAX_MS, MINUTE_MS, REST_PAUSE_MS, WorkLog, type WorkStats } from './work-log.ts';

/**
 * The work log reads no clock: every sample and dot carries its own moment, so these tests play
 * a handpiece second by second and check the sums it keeps.
 */
const S = 1_000;
const MIN = 60 * S;

interface Play {
  /** The needle's state at each second (default: running). */
  running?: (sec: number) => boolean;
  /** Whether an enforced break holds the handpiece at each second (default: never). */
  onBreak?: (sec: number) => boolean;
  /** The cycle rate at each second (default: 100 Hz). */
  hz?: (sec: number) => number;
}

/** A sample every second over seconds [fromSec, toSec). */
function play(log: WorkLog, fromSec: number, toSec: number, { running = () => true, onBreak = () => false, hz = () => 100 }: Play = {}): void {
  for (let s = fromSec; s < toSec; s++) log.sample(s * S, running(s), hz(s), onBreak(s));
}

/** Everything the log has kept minute by minute, summed. */
const all = (log: WorkLog): WorkStats => log.minutes().reduce((sum, minute) => mergeStats(sum, minute.stats), emptyStats());

describe('work log: working time', () => {
  it('working time and needle time accrue between successive samples', () => {
    const log = new WorkLog();
    play(log, 0, 101);
    expect(log.workMs).toBe(100 * S);
    expect(all(log)).toMatchObject({ workMs: 100 * S, needleMs: 100 * S });
  });

  it('an enforced break is not working time', () => {
    const log = new WorkLog();
    // Held by a 120 s break from 101 s to 220 s, the needle stopped; back to work after it.
    play(log, 0, 301, { running: (s) => s <= 100 || s > 220, onBreak: (s) => s > 100 && s <= 220 });
    expect(log.workMs).toBe(300 * S - 120 * S);
    expect(all(log).workMs).toBe(180 * S);
  });

  it('a device silent for more than 5 s is not working time; a silence of exactly 5 s is', () => {
    const quiet = new WorkLog();
    play(quiet, 0, 101);
    play(quiet, 110, 201);
    expect(quiet.workMs).toBe(100 * S + 90 * S);

    const brief = new WorkLog();
    play(brief, 0, 101);
    play(brief, 105, 201);
    expect(brief.workMs).toBe(200 * S);
  });

  it('a stop longer than 2 min is a rest: the time past the 2 min is no working time, and work after it counts again', () => {
    /** 100 s of work, a stop of `stopSec`, 100 s of work. */
    const withStop = (stopSec: number) => {
      const log = new WorkLog();
      play(log, 0, 201 + stopSec, { running: (s) => s < 100 || s >= 100 + stopSec });
      return log;
    };
    const twoMinutes = withStop(REST_PAUSE_MS / S);
    // A stop of exactly 2 min is a pause in the work: all of it is working time.
    expect(twoMinutes.workMs).toBe(100 * S + REST_PAUSE_MS + 100 * S);
    for (const stopSec of [121, 300, 600]) {
      const log = withStop(stopSec);
      expect(log.workMs, `a stop of ${stopSec} s`).toBeLessThanOrEqual(twoMinutes.workMs);
      expect(log.workMs, `a stop of ${stopSec} s`).toBeGreaterThanOrEqual(200 * S);
    }
    // The work after a 10 min rest is counted in full.
    const log = new WorkLog();
    play(log, 0, 700, { running: (s) => s < 100 || s >= 700 });
    const beforeResuming = log.workMs;
    play(log, 700, 801);
    expect(log.workMs - beforeResuming).toBe(100 * S);
  });

  it('a pause after an enforced break counts from the break\'s end, not from when the needle stopped', () => {
    const log = new WorkLog();
    // Stopped at 101 s; on break until 220 s; stopped 100 s more (220 s in all, but 100 s after the break); back at 321 s.
    play(log, 0, 401, { running: (s) => s <= 100 || s > 320, onBreak: (s) => s > 100 && s <= 220 });
    // 100 s before the break; everything after it (180 s) is working time.
    expect(log.workMs).toBe(100 * S + 180 * S);
  });

  it('needle time accrues only while the needle runs; a short stop is working time but no needle time', () => {
    const log = new WorkLog();
    play(log, 0, 120, { running: (s) => s < 60 || s >= 90 });
    expect(all(log)).toMatchObject({ workMs: 119 * S, needleMs: 60 * S + 29 * S });
  });

  it('a sample older than the last one is ignored', () => {
    const log = new WorkLog();
    play(log, 0, 11);
    // Resent after a reconnect: a stop at 5 s, long since counted as running.
    log.sample(5 * S, false, 0, false);
    expect(log.workMs).toBe(10 * S);
    log.sample(11 * S, true, 100, false);
    // One second more, and still needle time: the old sample stopped nothing.
    expect(all(log)).toMatchObject({ workMs: 11 * S, needleMs: 11 * S });
  });
});

describe('work log: dots, gaps, pauses and jitter', () => {
  it('dots add their count, cycles and dwell; the gaps between dots of one burst are the hand\'s pace', () => {
    const log = new WorkLog();
    play(log, 0, 3);
    log.dot(1_000, 40, 10);
    log.dot(1_400, 50, 12);
    log.dot(1_900, 30, 8);
    const stats = all(log);
    expect(stats).toMatchObject({ dots: 3, cycles: 30, dwell: { n: 3, sum: 120, sq: 40 ** 2 + 50 ** 2 + 30 ** 2 } });
    expect(stats.gap).toEqual({ n: 2, sum: 900, sq: 400 ** 2 + 500 ** 2 });
  });

  it('a gap between two dots counts only when no burst ended between them', () => {
    const log = new WorkLog();
    log.sample(0, true, 100, false);
    log.dot(500, 40, 10);
    log.sample(1_000, true, 100, false);
    log.sample(2_000, false, 0, false); // the burst ends
    log.sample(3_000, true, 100, false);
    log.dot(3_500, 40, 10); // the first dot of a new burst: 3 s after the last, but no gap of the hand
    log.dot(3_900, 40, 10);
    expect(all(log).gap).toEqual({ n: 1, sum: 400, sq: 400 ** 2 });
  });

  it('getting going after a break, or after a first sample that finds the needle stopped, is no micro-pause', () => {
    const log = new WorkLog();
    // Stopped at the first sample, running from 2 s to 100 s, a break until 220 s, running again at 222 s.
    play(log, 0, 300, { running: (s) => (s >= 2 && s <= 100) || s >= 222, onBreak: (s) => s > 100 && s <= 220 });
    expect(all(log).pause.n).toBe(0);
  });

  it('a stop of at most 5 s between bursts is a micro-pause and is recorded; a longer one is not', () => {
    const log = new WorkLog();
    const stopped = (s: number) => (s >= 10 && s < 13) || (s >= 20 && s < 25) || (s >= 30 && s < 36);
    play(log, 0, 40, { running: (s) => !stopped(s) });
    // Stops of 3 s and 5 s; the one of 6 s is longer than a breath between strokes.
    expect(MICRO_PAUSE_MAX_MS).toBe(5 * S);
    expect(all(log).pause).toEqual({ n: 2, sum: 3 * S + 5 * S, sq: (3 * S) ** 2 + (5 * S) ** 2 });
  });

  it('jitter is the sample-to-sample change of cycle rate within a burst, not across a stop or a gap in the samples', () => {
    const log = new WorkLog();
    const hz = [100, 102, 99, 99];
    for (const [i, h] of hz.entries()) log.sample(i * S, true, h, false);
    log.sample(4 * S, false, 0, false);
    log.sample(5 * S, true, 150, false); // a new burst: 99 → 150 is no jitter
    log.sample(6 * S, true, 151, false);
    log.sample(8 * S, true, 160, false); // 2 s after the last sample: not successive readings
    expect(all(log).jitter).toEqual({ n: 4, sum: 2 - 3 + 0 + 1, sq: 4 + 9 + 0 + 1 });
  });
});

describe('work log: minutes', () => {
  it('a minute closes after 60 s of work, and the next starts where it ended; only closed minutes go into the total', () => {
    const log = new WorkLog();
    play(log, 0, 151);
    expect(log.minutes().map((m) => [m.skin, m.startWorkMs, m.stats.workMs])).toEqual([
      ['normal', 0, MINUTE_MS],
      ['normal', MINUTE_MS, MINUTE_MS],
      ['normal', 2 * MINUTE_MS, 30 * S],
    ]);
    expect(log.total('normal')?.workMs).toBe(2 * MINUTE_MS);
  });

  it('a change of skin closes the minute, and the work after it is the new skin\'s', () => {
    const log = new WorkLog();
    play(log, 0, 31);
    log.skin = 'scar';
    expect(log.skin).toBe('scar');
    log.dot(30_500, 60, 14);
    play(log, 31, 51);
    expect(log.minutes().map((m) => [m.skin, m.startWorkMs, m.stats.workMs, m.stats.dots])).toEqual([
      ['normal', 0, 30 * S, 0],
      ['scar', 30 * S, 20 * S, 1],
    ]);
    expect(log.total('normal')?.workMs).toBe(30 * S);
    expect(log.total('scar')).toBeUndefined();
  });
});

describe('work log: baselines', () => {
  it('baselines() holds a skin only once it has a full hour of work, and the baseline never grows past it', () => {
    const log = new WorkLog();
    // A second short of 60 min of work: 59 minutes closed, the 60th still filling.
    play(log, 0, 3_600);
    expect(log.baselines().size).toBe(0);
    expect(log.baseline('normal')?.workMs).toBe(59 * MIN);
    play(log, 3_600, 3_602);
    expect([...log.baselines().keys()]).toEqual(['normal']);
    expect(log.baselines().get('normal')?.workMs).toBe(60 * MIN);

    // Half an hour on scar: its baseline is begun but not complete, so it is not among baselines().
    log.skin = 'scar';
    play(log, 3_602, 3_602 + 30 * 60);
    log.skin = 'normal';
    play(log, 3_602 + 30 * 60, 3_602 + 30 * 60 + 3_600);
    expect(log.baseline('scar')?.workMs).toBeGreaterThan(0);
    expect([...log.baselines().keys()]).toEqual(['normal']);
    expect(log.baselines().get('normal')?.workMs).toBe(60 * MIN);
    // The total goes on growing.
    expect(log.total('normal')!.workMs).toBeGreaterThan(110 * MIN);
  });

  it('the baseline length is an option', () => {
    const log = new WorkLog({ baselineMs: 5 * MIN });
    play(log, 0, 5 * 60 + 2);
    expect(log.baselines().get('normal')?.workMs).toBe(5 * MIN);
    play(log, 5 * 60 + 2, 20 * 60);
    expect(log.baselines().get('normal')?.workMs).toBe(5 * MIN);
  });
});

describe('work log: window and memory', () => {
  /** 10 min on normal skin, then 5 min on scar; a dot every second. */
  const tenThenFive = () => {
    const log = new WorkLog();
    for (let s = 0; s <= 900; s++) {
      log.sample(s * S, true, 100, false);
      if (s === 600) log.skin = 'scar';
      if (s < 900) log.dot(s * S, 40, 10);
    }
    return log;
  };

  it('window(ms) sums the newest minutes per skin', () => {
    const log = tenThenFive();
    expect(log.workMs).toBe(15 * MIN);
    const three = log.window(3 * MIN);
    expect([...three.keys()]).toEqual(['scar']);
    expect(three.get('scar')).toMatchObject({ workMs: 3 * MIN, dots: 180 });

    const seven = log.window(7 * MIN);
    expect(seven.get('scar')).toMatchObject({ workMs: 5 * MIN, dots: 300 });
    expect(seven.get('normal')).toMatchObject({ workMs: 2 * MIN, dots: 120 });
  });

  it('minutes older than keepMs are dropped, so memory stays bounded over a long day; the totals keep everything', () => {
    const log = new WorkLog({ keepMs: 10 * MIN });
    play(log, 0, 10 * 3_600 + 1);
    expect(log.minutes().length).toBeLessThanOrEqual(11);
    expect(log.minutes()[0]!.startWorkMs).toBeGreaterThanOrEqual(log.workMs - 10 * MIN - MINUTE_MS);
    expect(log.total('normal')?.workMs).toBeGreaterThanOrEqual(10 * 60 * MIN - MINUTE_MS);
    expect(log.total('normal')?.workMs).toBeLessThanOrEqual(10 * 60 * MIN);
    // The window can only reach as far back as the minutes kept.
    expect(log.window(60 * MIN).get('normal')!.workMs).toBeLessThanOrEqual(11 * MINUTE_MS);

    const byDefault = new WorkLog();
    play(byDefault, 0, 10 * 3_600 + 1);
    expect(byDefault.minutes().length).toBeLessThanOrEqual(91);
  });
});
