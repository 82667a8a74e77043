import { describe, expect, it } from 'vitest';
import type { SkinCondition } from '../protocol/plan.ts';
import { forecastFinish, regionsLeft, type BreakOutlook, type ForecastInput, type Pace, type RegionLeft } from './pace-forecast.ts';

/** Plain numbers: a second is 1,000 ms, a dot takes a second of working time unless a test says otherwise. */
const S = 1_000;
const MIN = 60 * S;
const NOW = 1_000_000 * S;
const FAR = 1_000_000 * MIN;

const pace = (msPerDot: number, minuteCv = 0, minutes = 60): Pace => ({ msPerDot, minuteCv, minutes });

/** No break falls due, no session end, no day's limit: only the work. */
const noBreaks: BreakOutlook = {
  microEveryMs: FAR,
  microDurationMs: 2 * MIN,
  restEveryMs: 2 * FAR,
  restDurationMs: 10 * MIN,
  sinceMicroMs: 0,
  sinceRestMs: 0,
  currentUntil: null,
  sessionEndsAt: null,
  dayNeedleLeftMs: FAR,
};

const region = (name: string, dots: number, skin: SkinCondition = 'normal'): RegionLeft => ({ region: name, skin, dots });

function input(over: Partial<Omit<ForecastInput, 'breaks'>> & { breaks?: Partial<BreakOutlook> } = {}): ForecastInput {
  const { breaks, ...rest } = over;
  return {
    now: NOW,
    pace: new Map(),
    overall: pace(S),
    needleShare: 1,
    regions: [region('crown', 100)],
    ...rest,
    breaks: { ...noBreaks, ...breaks },
  };
}

/** The forecast's times as ms after NOW. */
const after = (at: number) => at - NOW;

describe('pace forecast: laying the work out on the clock', () => {
  it('with no break due, the plan is done after Σ dots × ms per dot, region after region', () => {
    const forecast = forecastFinish(input({ overall: pace(1_500), needleShare: 0.4, regions: [region('crown', 100), region('temples', 60)] }));
    expect(forecast.regions).toEqual([
      { region: 'crown', dots: 100, workMs: 150 * S, doneAt: NOW + 150 * S },
      { region: 'temples', dots: 60, workMs: 90 * S, doneAt: NOW + 240 * S },
    ]);
    expect(forecast.finishAt).toBe(NOW + (100 + 60) * 1_500);
    expect(forecast).toMatchObject({ limit: null, leftOver: [] });
  });

  it('a micro-pause that falls due in the work, counted in needle time, is added to it', () => {
    // 100 s of needle time left before the micro-pause; 300 s of work.
    const breaks = { microEveryMs: 10 * MIN, sinceMicroMs: 10 * MIN - 100 * S, microDurationMs: 2 * MIN };
    // Half of the work is needle time: 150 s of it, so the micro-pause falls due after 200 s of work.
    const half = forecastFinish(input({ needleShare: 0.5, regions: [region('crown', 300)], breaks }));
    expect(after(half.finishAt)).toBe(300 * S + 2 * MIN);
    // A quarter: 75 s of needle time, and the micro-pause is not yet due when the plan is done.
    const quarter = forecastFinish(input({ needleShare: 0.25, regions: [region('crown', 300)], breaks }));
    expect(after(quarter.finishAt)).toBe(300 * S);
  });

  it('the micro-pause is laid at the needle time it falls due: a region done after it is delayed, one done before is not', () => {
    const breaks = { microEveryMs: 10 * MIN, sinceMicroMs: 10 * MIN - 100 * S, microDurationMs: 2 * MIN };
    const forecast = forecastFinish(input({ needleShare: 0.5, regions: [region('crown', 150), region('temples', 150)], breaks }));
    // 150 s of work is 75 s of needle time: crown is done before the pause, temples after it.
    expect(forecast.regions.map((r) => after(r.doneAt))).toEqual([150 * S, 300 * S + 2 * MIN]);
  });

  it('a micro-pause that falls due just as the work ends is not added', () => {
    const forecast = forecastFinish(input({ regions: [region('crown', 100)], breaks: { microEveryMs: 10 * MIN, sinceMicroMs: 10 * MIN - 100 * S } }));
    expect(after(forecast.finishAt)).toBe(100 * S);
  });

  it('one micro-pause per interval of needle time, each of microDurationMs', () => {
    // 35 min of work at full needle share, a 30 s micro-pause every 10 min: three of them.
    const forecast = forecastFinish(input({ regions: [region('crown', 35 * 60)], breaks: { microEveryMs: 10 * MIN, microDurationMs: 30 * S } }));
    expect(after(forecast.finishAt)).toBe(35 * MIN + 3 * 30 * S);
  });

  it('a rest break resets the micro-pause counter too', () => {
    // Rest due after 100 s of needle time; a micro-pause every 10 min. 1,250 s of work:
    // the rest at 100 s, then one micro-pause 600 s after it (at 700 s); the next would be at 1,300 s.
    // Without the reset there would be two, at 600 s and 1,200 s.
    const forecast = forecastFinish(
      input({
        regions: [region('crown', 1_250)],
        breaks: { microEveryMs: 600 * S, microDurationMs: 30 * S, sinceMicroMs: 0, restEveryMs: 2_000 * S, restDurationMs: 300 * S, sinceRestMs: 1_900 * S },
      }),
    );
    expect(after(forecast.finishAt)).toBe(1_250 * S + 300 * S + 30 * S);
  });

  it('a rest break due no later than the micro-pause takes its place', () => {
    const forecast = forecastFinish(
      input({
        regions: [region('crown', 200)],
        breaks: { microEveryMs: 600 * S, microDurationMs: 30 * S, sinceMicroMs: 500 * S, restEveryMs: 1_000 * S, restDurationMs: 300 * S, sinceRestMs: 900 * S },
      }),
    );
    expect(after(forecast.finishAt)).toBe(200 * S + 300 * S);
  });

  it('the break in force delays the start until it ends, and the micro-pause counter starts again after it', () => {
    const until = NOW + 90 * S;
    // The micro-pause in force came when its needle time was up: after it, a full interval to the next.
    const forecast = forecastFinish(input({ regions: [region('crown', 300)], breaks: { currentUntil: until, microEveryMs: 10 * MIN, sinceMicroMs: 10 * MIN } }));
    expect(forecast.finishAt).toBe(until + 300 * S);
    expect(forecast.regions[0]!.doneAt).toBe(until + 300 * S);
    // A break in force that has already ended (the engine not yet told) delays nothing.
    expect(forecastFinish(input({ regions: [region('crown', 300)], breaks: { currentUntil: NOW - S } })).finishAt).toBe(NOW + 300 * S);
  });
});

describe('pace forecast: pace per skin', () => {
  it('a region is worked at its skin\'s pace, and at the overall pace on a skin without its own', () => {
    const forecast = forecastFinish(
      input({
        pace: new Map([['scar', pace(2_500)]]),
        overall: pace(1_000),
        regions: [region('scar-line', 100, 'scar'), region('crown', 100, 'normal'), region('patch', 10, 'atrophic')],
      }),
    );
    expect(forecast.regions.map((r) => r.workMs)).toEqual([250 * S, 100 * S, 10 * S]);
    expect(after(forecast.finishAt)).toBe(360 * S);
  });
});

describe('pace forecast: limits', () => {
  const three = [region('crown', 100), region('temples', 100), region('nape', 100)];

  it('a session that ends before the finish is the limit, and the regions done after its end are left over', () => {
    // Done at 100 s, 200 s and 300 s; the session ends at 150 s.
    const forecast = forecastFinish(input({ regions: three, breaks: { sessionEndsAt: NOW + 150 * S } }));
    expect(forecast.limit).toBe('session');
    expect(forecast.leftOver).toEqual(['temples', 'nape']);
    // A region done at the very end of the session is done in it.
    const justInTime = forecastFinish(input({ regions: three, breaks: { sessionEndsAt: NOW + 200 * S } }));
    expect(justInTime).toMatchObject({ limit: 'session', leftOver: ['nape'] });
    // A session that ends after the finish limits nothing.
    expect(forecastFinish(input({ regions: three, breaks: { sessionEndsAt: NOW + 300 * S } }))).toMatchObject({ limit: null, leftOver: [] });
  });

  it('the day\'s needle limit counts needle time, and the regions past it are left over', () => {
    // Half of the work is needle time: 50 s, 100 s and 150 s of it; 120 s left today.
    const forecast = forecastFinish(input({ needleShare: 0.5, regions: three, breaks: { dayNeedleLeftMs: 120 * S } }));
    expect(forecast).toMatchObject({ limit: 'day', leftOver: ['nape'] });
    // All of it is needle time: the day's 120 s run out in temples.
    expect(forecastFinish(input({ needleShare: 1, regions: three, breaks: { dayNeedleLeftMs: 120 * S } }))).toMatchObject({ limit: 'day', leftOver: ['temples', 'nape'] });
    expect(forecastFinish(input({ needleShare: 0.5, regions: three, breaks: { dayNeedleLeftMs: 150 * S } }))).toMatchObject({ limit: null, leftOver: [] });
  });

  it('the limit named is the one met first', () => {
    const forecast = forecastFinish(input({ needleShare: 1, regions: three, breaks: { dayNeedleLeftMs: 250 * S, sessionEndsAt: NOW + 150 * S } }));
    expect(forecast).toMatchObject({ limit: 'session', leftOver: ['temples', 'nape'] });
    // The day's needle time runs out in temples, the session in nape: the day is the limit.
    const dayFirst = forecastFinish(input({ needleShare: 1, regions: three, breaks: { dayNeedleLeftMs: 150 * S, sessionEndsAt: NOW + 250 * S } }));
    expect(dayFirst).toMatchObject({ limit: 'day', leftOver: ['temples', 'nape'] });
  });
});

describe('pace forecast: the range', () => {
  const spreadOf = (p: Pace) => {
    const f = forecastFinish(input({ overall: p, regions: [region('crown', 720)] }));
    return f.latest - f.earliest;
  };

  it('is ±1.645 standard deviations: the estimate\'s error and the wander of the minutes to come', () => {
    // 12 min of work, a minute's cv 0.25, an estimate from 36 minutes:
    // variance = (720 s × 0.25 / 6)² + 0.25² × 12 min × 1 min = (30 s)² + 12 × (15 s)² = (60 s)².
    const forecast = forecastFinish(input({ overall: pace(S, 0.25, 36), regions: [region('crown', 720)] }));
    expect(forecast.finishAt).toBe(NOW + 720 * S);
    expect(after(forecast.earliest)).toBeCloseTo(720 * S - 1.645 * 60 * S, 6);
    expect(after(forecast.latest)).toBeCloseTo(720 * S + 1.645 * 60 * S, 6);
  });

  it('widens with a larger minute-to-minute cv', () => {
    expect(spreadOf(pace(S, 0.3, 30))).toBeGreaterThan(spreadOf(pace(S, 0.1, 30)));
  });

  it('narrows with more minutes of work behind the estimate', () => {
    expect(spreadOf(pace(S, 0.2, 100))).toBeLessThan(spreadOf(pace(S, 0.2, 4)));
  });

  it('is a point when the pace does not wander', () => {
    const f = forecastFinish(input({ overall: pace(S, 0, 30) }));
    expect([f.earliest, f.latest]).toEqual([f.finishAt, f.finishAt]);
  });

  it('earliest ≤ finishAt ≤ latest, with breaks, limits and several skins', () => {
    const paces = new Map<SkinCondition, Pace>([['scar', pace(2_200, 0.4, 5)], ['atrophic', pace(1_400, 0.15, 50)]]);
    const regions = [region('scar-line', 200, 'scar'), region('crown', 900), region('patch', 300, 'atrophic'), region('nape', 600)];
    let checked = 0;
    for (const cv of [0, 0.1, 0.5, 2]) {
      for (const needleShare of [0.05, 0.4, 1]) {
        for (const sinceMicroMs of [0, 9 * MIN, 30 * MIN]) {
          for (const currentUntil of [null, NOW + 2 * MIN]) {
            const f = forecastFinish(
              input({
                pace: paces,
                overall: pace(S, cv, 10),
                needleShare,
                regions,
                breaks: { microEveryMs: 10 * MIN, microDurationMs: MIN, restEveryMs: 40 * MIN, restDurationMs: 5 * MIN, sinceMicroMs, sinceRestMs: 25 * MIN, currentUntil, sessionEndsAt: NOW + 40 * MIN, dayNeedleLeftMs: 20 * MIN },
              }),
            );
            expect(f.earliest).toBeLessThanOrEqual(f.finishAt);
            expect(f.finishAt).toBeLessThanOrEqual(f.latest);
            expect(f.earliest).toBeGreaterThanOrEqual(Math.max(NOW, currentUntil ?? NOW));
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBe(72);
  });
});

describe('pace forecast: the regions left', () => {
  it('are the regions with dots still to do: the one being worked first, then the plan\'s order', () => {
    const plan = { crown: { skin: 'normal' as const }, temples: { skin: 'atrophic' as const }, scar: { skin: 'scar' as const }, nape: { skin: 'normal' as const } };
    const targets = { crown: 500, temples: 300, scar: 100, nape: 200 };
    const done: Record<string, number> = { crown: 500, temples: 100, scar: 20, nape: 0 };
    expect(regionsLeft(plan, targets, (r) => done[r] ?? 0, 'scar')).toEqual([
      { region: 'scar', skin: 'scar', dots: 80 },
      { region: 'temples', skin: 'atrophic', dots: 200 },
      { region: 'nape', skin: 'normal', dots: 200 },
    ]);
    // Past its target a region has none left; a region without a target has none to do.
    expect(regionsLeft({ crown: { skin: 'normal' } }, {}, () => 0, null)).toEqual([]);
    expect(regionsLeft(plan, targets, () => 1_000, 'crown')).toEqual([]);
  });
});
