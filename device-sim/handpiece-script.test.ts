import { describe, expect, it } from 'vitest';
import { regionAt } from '../server/scalp/regions.ts';
import { HandpieceScript, type ScriptEvent, type ScriptFault } from './handpiece-script.ts';

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

  it('run off the skin, the handpiece strokes as usual but places no dots', () => {
    const s = script(6);
    s.advance(60_000, false);
    const offSkin = s.advance(120_000, false, true);
    expect(dots(offSkin)).toEqual([]);
    expect(tels(offSkin).filter((t) => t.kind === 'tel' && t.running).length).toBeGreaterThan(100);
    expect(dots(s.advance(180_000, false)).length).toBeGreaterThan(0);
  });

  describe('faults that come and go', () => {
    const faulty = (fault: ScriptFault, telHz = 10) => new HandpieceScript({ seed: 21, startAt: 0, telHz, fault });
    const running = (events: ScriptEvent[]) => tels(events).flatMap((t) => (t.kind === 'tel' && t.running ? [t] : []));

    it('intermittent-drift: 2 s of needle time near 170 Hz, then a quarter second back near 125 Hz, round after round', () => {
      const samples = running(faulty('intermittent-drift').advance(10 * 60_000, false));
      // At 10 samples a second, runs of samples out of band and back in it: 2 s out, 0.25 s back, on a 100 ms grid.
      const runs: Array<[boolean, number]> = [];
      for (const t of samples) {
        const out = t.cycleHz > 150;
        if (runs.at(-1)?.[0] === out) runs.at(-1)![1] += 1;
        else runs.push([out, 1]);
      }
      expect(runs.length).toBeGreaterThan(100);
      for (const [out, n] of runs.slice(0, -1)) expect(out ? [19, 20] : [2, 3]).toContain(n);
      for (const t of samples) expect(Math.abs(t.cycleHz - (t.cycleHz > 150 ? 170 : 125))).toBeLessThan(5);
    });

    it('intermittent-drift: with samples further apart than a quarter second, the dip lasts one sample', () => {
      const outs = running(faulty('intermittent-drift', 2).advance(10 * 60_000, false)).map((t) => t.cycleHz > 150);
      expect(outs.slice(0, 10)).toEqual([true, true, true, true, false, true, true, true, true, false]);
    });

    it('battery-flicker: the worn cell reads 13% while the needle runs and 21% while it rests, all session', () => {
      const samples = tels(faulty('battery-flicker').advance(60 * 60_000, false));
      for (const t of samples) if (t.kind === 'tel') expect(t.batteryPct).toBe(t.running ? 13 : 21);
      expect(new Set(samples.map((t) => t.kind === 'tel' && t.running))).toEqual(new Set([true, false]));
    });

    it('needles-flicker: every fifth dot reports two needles more than the steady handpiece of the same seed, the others the same dot', () => {
      const made = dots(faulty('needles-flicker').advance(10 * 60_000, false));
      const steady = dots(new HandpieceScript({ seed: 21, startAt: 0, telHz: 10 }).advance(10 * 60_000, false));
      expect(made.length).toBeGreaterThan(100);
      expect(made.map((d, i) => (d.kind === 'dot' ? d.needles : 0) - (i % 5 === 4 ? 2 : 0))).toEqual(steady.map((d) => (d.kind === 'dot' ? d.needles : 0)));
      expect(made.map((d) => ({ ...d, needles: 0 }))).toEqual(steady.map((d) => ({ ...d, needles: 0 })));
    });
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
