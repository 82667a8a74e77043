import { describe, expect, it } from 'vitest';
import { Random } from '../../device-sim/random.ts';
import type { SkinCondition } from '../protocol/plan.ts';
import { defaultFatigueThresholds, readFatigue, showsFatigue, strongestSign, type FatigueFeature, type FatigueReading } from './fatigue-signal.ts';
import { emptyMoments, emptyStats, type Moments, type WorkStats } from './work-log.ts';

/** Moments of n values with exactly this mean and (sample) standard deviation. */
const moments = (n: number, mean: number, sd: number): Moments => ({ n, sum: n * mean, sq: (n - 1) * sd * sd + n * mean * mean });

/** Moments of n values centred on 0 with this root mean square: how jitter is read. */
const centred = (n: number, rms: number): Moments => ({ n, sum: 0, sq: n * rms * rms });

interface Shape {
  dots: number;
  dwell: { mean: number; sd: number };
  gap: { mean: number; sd: number };
  pause: { n: number; mean: number; sd: number };
  cyclesPerDot: number;
  jitterRms: number;
}

/** Normal skin at a steady hand: 40 ms dwell (cv 0.2), 500 ms between dots (cv 0.2), 1.5 s pauses. */
const steady: Shape = {
  dots: 1_000,
  dwell: { mean: 40, sd: 8 },
  gap: { mean: 500, sd: 100 },
  pause: { n: 50, mean: 1_500, sd: 400 },
  cyclesPerDot: 10,
  jitterRms: 2,
};

/** A stretch of work built by hand with exactly this shape. */
function work(over: Partial<Shape> = {}): WorkStats {
  const s = { ...steady, ...over };
  return {
    workMs: s.dots * 600,
    needleMs: s.dots * 300,
    dots: s.dots,
    cycles: s.dots * s.cyclesPerDot,
    dwell: moments(s.dots, s.dwell.mean, s.dwell.sd),
    gap: moments(s.dots - s.pause.n, s.gap.mean, s.gap.sd),
    pause: moments(s.pause.n, s.pause.mean, s.pause.sd),
    jitter: centred(s.dots * 3, s.jitterRms),
  };
}

/** An hour's baseline: six times the dots of a ten-minute window. */
const hour = (over: Partial<Shape> = {}) => work({ dots: 6_000, pause: { ...steady.pause, n: 300 }, ...over });

/** A stretch of work drawn value by value from a seeded generator. */
function drawn(random: Random, s: Shape): WorkStats {
  const stats = emptyStats();
  const add = (m: Moments, x: number) => {
    m.n += 1;
    m.sum += x;
    m.sq += x * x;
  };
  stats.dots = s.dots;
  stats.cycles = s.dots * s.cyclesPerDot;
  for (let i = 0; i < s.dots; i++) add(stats.dwell, Math.max(1, random.normal(s.dwell.mean, s.dwell.sd)));
  for (let i = 0; i < s.dots - s.pause.n; i++) add(stats.gap, Math.max(50, random.normal(s.gap.mean, s.gap.sd)));
  for (let i = 0; i < s.pause.n; i++) add(stats.pause, Math.max(100, random.normal(s.pause.mean, s.pause.sd)));
  stats.jitter = emptyMoments();
  for (let i = 0; i < s.dots * 3; i++) add(stats.jitter, random.normal(0, s.jitterRms));
  return stats;
}

const only = (skin: SkinCondition, stats: WorkStats) => new Map([[skin, stats]]);
const feature = (reading: FatigueReading | null, name: FatigueFeature) => reading?.features.find((f) => f.feature === name);

describe('fatigue signal: when there is nothing to read', () => {
  it('gives no reading with fewer compared dots than minDots, and one from minDots on', () => {
    const baselines = only('normal', hour());
    expect(defaultFatigueThresholds.minDots).toBe(400);
    expect(readFatigue(only('normal', work({ dots: 399, pause: { ...steady.pause, n: 20 } })), baselines)).toBeNull();
    expect(readFatigue(only('normal', work({ dots: 400, pause: { ...steady.pause, n: 20 } })), baselines)).toMatchObject({ dots: 400 });
    expect(readFatigue(only('normal', work({ dots: 100 })), baselines, { ...defaultFatigueThresholds, minDots: 100 })).not.toBeNull();
    expect(showsFatigue(null)).toBe(false);
  });
});

describe('fatigue signal: reading the work against the baseline', () => {
  it('an unchanged window reads 0 and shows no fatigue', () => {
    const reading = readFatigue(only('normal', work()), only('normal', hour()));
    expect(reading).not.toBeNull();
    expect(reading!.index).toBeCloseTo(0, 9);
    expect(reading!.features.map((f) => f.feature).sort()).toEqual(['cyclesPerDot', 'dwell', 'dwellCv', 'gap', 'jitter', 'pause']);
    for (const f of reading!.features) expect(f.change, f.feature).toBeCloseTo(0, 9);
    expect(showsFatigue(reading)).toBe(false);
  });

  it('a steady hand drawn at random reads near 0, seed after seed', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = new Random(seed);
      const reading = readFatigue(only('normal', drawn(random, steady)), only('normal', drawn(random, { ...steady, dots: 6_000, pause: { ...steady.pause, n: 300 } })));
      expect(Math.abs(reading!.index), `seed ${seed}`).toBeLessThan(3);
      expect(showsFatigue(reading), `seed ${seed}`).toBe(false);
    }
  });

  it('dwell spread up 40 % over 1,000 dots reads ≥ 4, shows fatigue, and names dwell variability', () => {
    const reading = readFatigue(only('normal', work({ dwell: { mean: 40, sd: 8 * 1.4 } })), only('normal', hour()));
    expect(reading!.dots).toBe(1_000);
    expect(reading!.index).toBeGreaterThanOrEqual(4);
    expect(showsFatigue(reading)).toBe(true);
    expect(strongestSign(reading!)).toMatchObject({ feature: 'dwellCv' });
    expect(strongestSign(reading!)!.change).toBeCloseTo(0.4, 9);
    // Stouffer's z over the three weighed features, two of which did not move.
    expect(reading!.index).toBeCloseTo(strongestSign(reading!)!.z / Math.sqrt(3), 9);
  });

  it('dwell spread up 40 % drawn at random reads ≥ 4 and names dwell variability, seed after seed', () => {
    for (const seed of [11, 12, 13, 14, 15]) {
      const random = new Random(seed);
      const baseline = drawn(random, { ...steady, dots: 6_000, pause: { ...steady.pause, n: 300 } });
      const window = drawn(random, { ...steady, dwell: { mean: 40, sd: 8 * 1.4 } });
      const reading = readFatigue(only('normal', window), only('normal', baseline));
      expect(reading!.index, `seed ${seed}`).toBeGreaterThanOrEqual(4);
      expect(showsFatigue(reading), `seed ${seed}`).toBe(true);
      expect(strongestSign(reading!)?.feature, `seed ${seed}`).toBe('dwellCv');
    }
  });

  it('a less even hand reads the other way: dwell spread down 40 % shows no fatigue', () => {
    const reading = readFatigue(only('normal', work({ dwell: { mean: 40, sd: 8 * 0.6 } })), only('normal', hour()));
    expect(reading!.index).toBeLessThan(-4);
    expect(showsFatigue(reading)).toBe(false);
  });

  it('a change that is significant but under 10 % is no sign of fatigue; the same at 15 % is', () => {
    // A long window (5,000 dots) makes a small shift of pace and spread clear evidence.
    const slower = (by: number) =>
      readFatigue(only('normal', work({ dots: 5_000, pause: { ...steady.pause, n: 250 }, gap: { mean: 500 * by, sd: 100 * by }, dwell: { mean: 40, sd: 8 * by } })), only('normal', hour()));
    const small = slower(1.08);
    expect(small!.index).toBeGreaterThanOrEqual(defaultFatigueThresholds.raiseAt);
    expect(Math.max(...small!.features.map((f) => f.change))).toBeLessThan(0.1);
    expect(showsFatigue(small)).toBe(false);

    const large = slower(1.15);
    expect(showsFatigue(large)).toBe(true);
  });

  it('changes in dwell time, cycles per dot and cycle-rate jitter are shown but do not move the index', () => {
    // Deeper work on thicker skin: a 30 % longer dwell (same relative spread), 30 % more cycles, a less steady rate.
    const window = work({ dwell: { mean: 52, sd: 10.4 }, cyclesPerDot: 13, jitterRms: 3 });
    const reading = readFatigue(only('normal', window), only('normal', hour()));
    expect(feature(reading, 'dwell')!.change).toBeCloseTo(0.3, 9);
    expect(feature(reading, 'dwell')!.z).toBeGreaterThan(10);
    expect(feature(reading, 'cyclesPerDot')!.change).toBeCloseTo(0.3, 9);
    expect(feature(reading, 'jitter')!.change).toBeCloseTo(0.5, 9);
    expect(reading!.index).toBeCloseTo(0, 6);
    expect(showsFatigue(reading)).toBe(false);
    // What the hint names is a weighed feature, however much the others moved.
    expect(['gap', 'dwellCv', 'pause']).toContain(strongestSign(reading!)!.feature);
  });
});

describe('fatigue signal: skin by skin', () => {
  /** Scar: a longer, far less even dwell than normal skin. */
  const scar: Partial<Shape> = { dwell: { mean: 70, sd: 28 } };

  it('work on a skin without a baseline is left out: scar work is not compared with normal skin', () => {
    const baselines = only('normal', hour());
    const window = new Map<SkinCondition, WorkStats>([
      ['normal', work()],
      ['scar', work(scar)],
    ]);
    const reading = readFatigue(window, baselines);
    expect(reading!.dots).toBe(1_000);
    expect(reading!.index).toBeCloseTo(0, 9);
    expect(showsFatigue(reading)).toBe(false);
    // Scar work alone has nothing to be compared with.
    expect(readFatigue(only('scar', work(scar)), baselines)).toBeNull();
  });

  it('scar work is compared with earlier scar work: as even as its own baseline, it reads 0', () => {
    const baselines = new Map<SkinCondition, WorkStats>([
      ['normal', hour()],
      ['scar', hour(scar)],
    ]);
    const window = new Map<SkinCondition, WorkStats>([
      ['normal', work()],
      ['scar', work(scar)],
    ]);
    const reading = readFatigue(window, baselines);
    expect(reading!.dots).toBe(2_000);
    expect(reading!.index).toBeCloseTo(0, 9);
    // The same scar work held against the normal baseline would read as fatigue.
    expect(showsFatigue(readFatigue(only('normal', work(scar)), only('normal', hour())))).toBe(true);
  });

  it('a change on one skin is read, weighted by that skin\'s share of the window', () => {
    const baselines = new Map<SkinCondition, WorkStats>([
      ['normal', hour()],
      ['scar', hour(scar)],
    ]);
    const tiring = work({ dwell: { mean: 40, sd: 8 * 1.4 } });
    const window = new Map<SkinCondition, WorkStats>([
      ['normal', tiring],
      ['scar', work(scar)],
    ]);
    const both = readFatigue(window, baselines)!;
    const alone = readFatigue(only('normal', tiring), baselines)!;
    // Half the window changed: about half the change.
    expect(feature(both, 'dwellCv')!.change).toBeGreaterThan(0.1);
    expect(feature(both, 'dwellCv')!.change).toBeLessThan(feature(alone, 'dwellCv')!.change);
    expect(both.index).toBeGreaterThan(0);
  });
});

describe('fatigue signal: showsFatigue and strongestSign', () => {
  const reading = (index: number, features: FatigueReading['features']): FatigueReading => ({ index, features, dots: 1_000 });

  it('shows fatigue only with the index at raiseAt and a weighed feature up by at least minChange', () => {
    const up = [{ feature: 'gap' as const, change: 0.12, z: 7 }];
    expect(showsFatigue(reading(4, up))).toBe(true);
    expect(showsFatigue(reading(3.99, up))).toBe(false);
    expect(showsFatigue(reading(4, [{ feature: 'gap', change: 0.09, z: 7 }]))).toBe(false);
    // A big change of an unweighed feature is no sign.
    expect(showsFatigue(reading(4, [{ feature: 'dwell', change: 0.5, z: 20 }, { feature: 'gap', change: 0.05, z: 7 }]))).toBe(false);
    expect(showsFatigue(reading(6, up), { ...defaultFatigueThresholds, raiseAt: 7 })).toBe(false);
  });

  it('strongestSign is the weighed feature with the largest z, and none without weighed features', () => {
    const r = reading(5, [
      { feature: 'dwell', change: 0.6, z: 30 },
      { feature: 'gap', change: 0.1, z: 3 },
      { feature: 'pause', change: 0.3, z: 5 },
      { feature: 'dwellCv', change: 0.2, z: 4 },
    ]);
    expect(strongestSign(r)).toEqual({ feature: 'pause', change: 0.3, z: 5 });
    expect(r.features.map((f) => f.feature)).toEqual(['dwell', 'gap', 'pause', 'dwellCv']);
    expect(strongestSign(reading(0, [{ feature: 'jitter', change: 1, z: 9 }]))).toBeUndefined();
  });
});
