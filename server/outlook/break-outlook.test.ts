import { describe, expect, it } from 'vitest';
import { BreakEngine } from '../breaks/engine.ts';
import { defaultBreakPolicy } from '../protocol/breaks.ts';
import { breakOutlook } from './break-outlook.ts';
import { forecastFinish } from './pace-forecast.ts';

const MINUTE = 60_000;
const pace = { msPerDot: 1000, minuteCv: 0, minutes: 60 };

/**
 * An operator who works whenever no break holds them, a sample a second from 0, until the break
 * of `kind` starts; resolves a second into it.
 */
function workedUntil(kind: 'micro' | 'rest') {
  const engine = new BreakEngine(defaultBreakPolicy, () => 'day');
  engine.sessionStarted('op', 0);
  for (let at = 0; ; at += 1000) {
    const current = engine.view('op', at).current;
    if (current?.kind === kind) return { engine, now: at + 1000, current };
    engine.sample('op', at, current === null);
    engine.tick(at);
  }
}

const finishFrom = (engine: BreakEngine, now: number, dots: number) =>
  forecastFinish({
    now, pace: new Map(), overall: pace, needleShare: 1,
    regions: [{ region: 'crown', skin: 'normal', dots }],
    breaks: breakOutlook(engine.exportState('op'), defaultBreakPolicy),
  });

describe('where the operator stands against the breaks, for the forecast', () => {
  it('during the rest in force, the forecast adds no second rest: a minute of work ends a minute after the rest', () => {
    const { engine, now, current: rest } = workedUntil('rest');
    expect(finishFrom(engine, now, 60).finishAt).toBe(rest.until! + 60_000);
  });

  it('during a micro-pause, the next one is a full interval of work after it', () => {
    const { engine, now, current: micro } = workedUntil('micro');
    const work = defaultBreakPolicy.microEveryMs / 1000;
    expect(finishFrom(engine, now, work).finishAt).toBe(micro.until! + defaultBreakPolicy.microEveryMs);
  });

  it('at the session limit in force, every region is left for the next session', () => {
    const engine = new BreakEngine({ ...defaultBreakPolicy, maxSessionMs: 60 * MINUTE, microEveryMs: 120 * MINUTE, restEveryMs: 240 * MINUTE }, () => 'day');
    engine.sessionStarted('op', 0);
    engine.tick(60 * MINUTE);
    const forecast = forecastFinish({
      now: 60 * MINUTE + 1000, pace: new Map(), overall: pace, needleShare: 1,
      regions: [{ region: 'crown', skin: 'normal', dots: 60 }],
      breaks: breakOutlook(engine.exportState('op'), { ...defaultBreakPolicy, maxSessionMs: 60 * MINUTE }),
    });
    expect(forecast).toMatchObject({ limit: 'session', limitAt: 60 * MINUTE, leftOver: ['crown'] });
  });
});
