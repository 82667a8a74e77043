import { describe, expect, it } from 'vitest';
import { regionAt } from '../server/scalp/regions.ts';
import { HandpieceScript, type ScriptEvent } from './handpiece-script.ts';

const HOUR = 3_600_000;
const script = (seed = 1) => new HandpieceScript({ seed, startAt: 0, telHz: 10 });
const dots = (events: ScriptEvent[]) => events.filter((e) => e.kind === 'dot');
const tels = (events: ScriptEvent[]) => events.filter((e) => e.kind === 'tel');

describe('the simulated handpiece', () => {
  it('the same seed gives the same stream; another seed another', () => {
    expect(script(7).advance(120_000, false)).toEqual(script(7).advance(120_000, false));
    expect(script(8).advance(120_000, false)).not.toEqual(script(7).advance(120_000, false));
  });

  it('the stream does not depend on how often the driver asks', () => {
    const stepped = script(3);
    const events: ScriptEvent[] = [];
    for (let t = 37; t <= 300_000; t += 37) events.push(...stepped.advance(t, false));
    events.push(...stepped.advance(300_000, false));
    expect(events).toEqual(script(3).advance(300_000, false));
  });

  it('works in bursts at a plausible pace: 30–150 dots a minute over an hour', () => {
    const perMinute = dots(script(2).advance(HOUR, false)).length / 60;
    expect(perMinute).toBeGreaterThan(30);
    expect(perMinute).toBeLessThan(150);
  });

  it('every dot lies inside the region it names, and the hairline gets a single needle', () => {
    const made = dots(script(4).advance(HOUR, false));
    for (const d of made) if (d.kind === 'dot') expect(regionAt(d.x, d.y)).toBe(d.region);
    const hairline = made.filter((d) => d.kind === 'dot' && d.region === 'hairline');
    expect(hairline.length).toBeGreaterThan(0);
    expect(hairline.every((d) => d.needles === 1)).toBe(true);
    expect(new Set(made.map((d) => (d.kind === 'dot' ? d.region : ''))).size).toBeGreaterThan(3);
  });

  it('reports the cycle rate in band while running and 0 Hz when the needle rests', () => {
    const samples = tels(script(5).advance(10 * 60_000, false));
    for (const s of samples) {
      if (s.kind !== 'tel') continue;
      if (s.running) expect(s.cycleHz).toBeGreaterThanOrEqual(100);
      if (s.running) expect(s.cycleHz).toBeLessThanOrEqual(150);
      else expect(s.cycleHz).toBe(0);
    }
    expect(samples.some((s) => s.kind === 'tel' && s.running)).toBe(true);
  });

  it('an inhibited handpiece makes no dots and reports its needle stopped, until released', () => {
    const s = script(6);
    s.advance(60_000, false);
    const inhibited = s.advance(120_000, true);
    expect(dots(inhibited)).toEqual([]);
    expect(tels(inhibited).every((t) => t.kind === 'tel' && !t.running)).toBe(true);
    expect(dots(s.advance(240_000, false)).length).toBeGreaterThan(0);
  });

  it('moves to the region the operator selects', () => {
    const s = script(9);
    s.advance(10_000, false);
    s.workOn('crown');
    const next = dots(s.advance(60_000, false));
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((d) => d.kind === 'dot' && d.region === 'crown' && d.needles === 5)).toBe(true);
  });

  describe('following a plan', () => {
    const plan = {
      hairline: { target: 30, needles: 1 },
      crown: { target: 50, needles: 4 },
      'scar-strip': { target: 20, needles: 2, outline: [[0.3, 0.85], [0.7, 0.85], [0.7, 0.9], [0.3, 0.9]] as Array<[number, number]> },
    };
    const byRegion = (events: ScriptEvent[]) => {
      const counts: Record<string, number> = {};
      for (const d of dots(events)) if (d.kind === 'dot') counts[d.region] = (counts[d.region] ?? 0) + 1;
      return counts;
    };

    it('gives each region its target with the plan\'s needles, scars inside their outline, then rests', () => {
      const s = script(11);
      s.followPlan(plan);
      const events = s.advance(HOUR, false);
      expect(byRegion(events)).toEqual({ hairline: 30, crown: 50, 'scar-strip': 20 });
      for (const d of dots(events)) {
        if (d.kind !== 'dot') continue;
        expect(d.needles).toBe(plan[d.region as keyof typeof plan].needles);
        if (d.region === 'scar-strip') expect(d.y >= 0.85 && d.y <= 0.9).toBe(true);
      }
      expect(s.finished).toBe(true);
      expect(dots(s.advance(2 * HOUR, false))).toEqual([]);
    });

    it('picks up where the session stands: only what is left is stippled', () => {
      const s = script(12);
      s.followPlan(plan, { hairline: 30, crown: 45 });
      expect(byRegion(s.advance(HOUR, false))).toEqual({ crown: 5, 'scar-strip': 20 });
    });

    it('an operator back in a filled region touches it up past its target', () => {
      const s = script(13);
      s.followPlan(plan);
      s.advance(HOUR, false);
      s.workOn('hairline');
      expect(byRegion(s.advance(2 * HOUR, false)).hairline).toBeGreaterThan(0);
    });
  });
});
