import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../device-sim/simulator.ts';
import { CONDITIONS } from '../server/protocol/alarms.ts';
import { defaultBreakPolicy } from '../server/protocol/breaks.ts';
import { alarmScenario, alarmsOf, changes, play, raised, type ScenarioOptions } from './helpers/alarm-scenario.ts';
import { waitFor } from './helpers/server.ts';

/**
 * The simulator's faults that come and go (docs/alarms.md) against the real server: each raises
 * its condition at the priority and the moment its window rule says, and stays one alarm while the
 * fault keeps coming back, where a rule counting only "in a row" never raised it, or raised it anew
 * every time.
 */
const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const scenario = (name: Scenario, options?: ScenarioOptions) => alarmScenario(name, (step) => cleanup.push(step), options);

/** Link and silence faults are a matter of seconds: at 30× a drop of 8 s is 267 ms, clear of the event loop's jitter. */
const LINK_SPEED = 30;

describe('alarms from faults that come and go', () => {
  it('a needle drifting in and out of band (2 s out, a dip back in) raises one high alarm that stays, where 5 s in a row never came', async () => {
    const { target, startedAt } = await scenario('intermittent-drift');
    const alarm = await raised(target, 'cycle-out-of-band', 60_000);
    expect(alarm.priority).toBe('high');
    // 5 s out of band within 10 s of needle time: a few strokes into the session.
    expect(alarm.raisedAt - startedAt).toBeLessThan(60_000);
    expect(alarm.detail).toMatch(/^1[6-8]\d Hz, outside 100–150 Hz$/);
    await play(5 * 60_000);
    expect(alarmsOf(target, 'cycle-out-of-band')).toHaveLength(1);
    expect(changes(target, alarm)).toEqual(['raised', 'escalated']);
  });

  it('a link dropping 8 s every 20 s raises one medium "offline" alarm during the third drop, held between drops', async () => {
    // The simulated handpiece reconnects with its backoff on the simulated clock, so a drop lasts what the scenario says.
    const { target, startedAt, links } = await scenario('flapping-link', { speed: LINK_SPEED });
    const alarm = await raised(target, 'device-offline', 90_000, LINK_SPEED);
    expect(alarm.priority).toBe('medium');
    expect(alarm.detail).toMatch(/^the link keeps dropping: offline 2\d s of the last 60 s$/);
    // Raised while the third drop of the session lasts, once the drops add up to 20 s (to the second
    // the window's far edge moves by, and the tick that noticed it).
    const seen = links.filter((l) => l.at >= startedAt && l.at <= alarm.raisedAt);
    expect(seen.map((l) => l.online)).toEqual([false, true, false, true, false]);
    const drops = [0, 2, 4].map((i) => [seen[i]!.at, seen[i + 1]?.at ?? alarm.raisedAt] as const);
    for (const [from, to] of drops.slice(0, 2)) expect(to - from).toBeLessThan(10_000);
    const offline = drops.reduce((sum, [from, to]) => sum + to - Math.max(from, alarm.raisedAt - 60_000), 0);
    expect(offline).toBeGreaterThanOrEqual(19_000);
    expect(offline).toBeLessThan(21_000);
    await play(2 * 60_000, LINK_SPEED);
    expect(alarmsOf(target, 'device-offline')).toHaveLength(1);
    expect(changes(target, alarm)).toEqual(['raised']);
  });

  it('a simulated handpiece backs off on the simulated clock: at 480x a drop of 8 s lasts about that, not the minute a real-time backoff makes it', async () => {
    const speed = 480;
    const { links } = await scenario('flapping-link', { speed });
    const drops = await waitFor(() => {
      const lengths = links.flatMap((link, i) => (!link.online && links[i + 1]?.online ? [links[i + 1]!.at - link.at] : []));
      return lengths.length >= 5 && lengths;
    }, 10_000, 'five drops and returns');
    // A real-time backoff waits at least 125 ms before reconnecting: a minute of clinic time at 480x.
    const median = [...drops].sort((a, b) => a - b)[2]!;
    expect(median).toBeLessThan(40_000);
  });

  it('a handpiece silent 12 s of every 20 s raises one medium "silent" alarm during the second stall, held between stalls', async () => {
    const { target, startedAt, samples } = await scenario('intermittent-stall', { speed: LINK_SPEED });
    const alarm = await raised(target, 'device-silent', 90_000, LINK_SPEED);
    expect(alarm.priority).toBe('medium');
    expect(alarm.detail).toMatch(/^telemetry keeps stopping: silent 2\d s of the last 60 s$/);
    // Stalls are the gaps of over 5 s between samples, counted from the session start (the last one
    // still going on when it was raised): raised during the second, once it makes 20 s with the first.
    const inSession = samples.map((s) => s.at).filter((at) => at > startedAt && at <= alarm.raisedAt);
    const made = [startedAt, ...inSession.sort((a, b) => a - b), alarm.raisedAt];
    const stalls = made.slice(1).flatMap((at, i) => (at - made[i]! > 5_000 ? [at - made[i]!] : []));
    expect(stalls).toHaveLength(2);
    expect(made.at(-1)! - made.at(-2)!).toBe(stalls[1]);
    expect(stalls[0]! + stalls[1]!).toBeGreaterThanOrEqual(19_000);
    expect(stalls[0]! + stalls[1]!).toBeLessThan(21_000);
    await play(2 * 60_000, LINK_SPEED);
    expect(alarmsOf(target, 'device-silent')).toHaveLength(1);
    expect(changes(target, alarm)).toEqual(['raised']);
  });

  it('a battery reading that sags under load raises one low "battery" alarm at the first stroke, not one per stroke', async () => {
    const { target, samples } = await scenario('battery-flicker');
    const alarm = await raised(target, 'battery-low', 30_000);
    expect(alarm.priority).toBe('low');
    expect(alarm.detail).toBe('battery at 13%');
    expect(alarm.raisedAt).toBe(samples.find((s) => s.running)!.at);
    await play(5 * 60_000);
    expect(alarmsOf(target, 'battery-low')).toHaveLength(1);
    expect(changes(target, alarm)).toEqual(['raised']);
  });

  it('a cartridge misreading every fifth dot raises one medium "needles" alarm at the fifth dot, not one per misread', async () => {
    const { target, dots } = await scenario('needles-flicker');
    const alarm = await raised(target, 'needles-off-plan', 30_000);
    expect(alarm.priority).toBe('medium');
    expect(alarm.detail).toMatch(/^\d needles in .+; the plan says \d$/);
    expect(alarm.raisedAt).toBe([...dots].sort((a, b) => a - b)[4]);
    await play(5 * 60_000);
    expect(alarmsOf(target, 'needles-off-plan')).toHaveLength(1);
    expect(changes(target, alarm)).toEqual(['raised']);
  });

  it('seq gaps in bursts 90 s apart are one low technical alarm, each gap a repeat of it', async () => {
    const { target, startedAt } = await scenario('gap-bursts');
    const alarm = await raised(target, 'seq-gap', 60_000);
    expect(alarm.priority).toBe('low');
    expect(CONDITIONS[alarm.condition].category).toBe('technical');
    // The first burst is 30–35 s into the simulation.
    expect(alarm.raisedAt - startedAt).toBeLessThan(40_000);
    await play(30_000);
    const afterFirst = alarmsOf(target, 'seq-gap')[0]!.repeats;
    // The second burst, 90 s later, falls within the 2 min hold: its gaps repeat the open alarm.
    const later = await waitFor(() => alarmsOf(target, 'seq-gap').find((a) => a.lastAt - alarm.raisedAt >= 85_000), 10_000, 'the second burst');
    expect(alarmsOf(target, 'seq-gap')).toHaveLength(1);
    expect(later).toMatchObject({ id: alarm.id, state: 'active' });
    expect(later.repeats).toBeGreaterThan(afterFirst);
    expect(changes(target, alarm)).toEqual(['raised']);
  });

  it('a needle run in strokes through a break, off the skin, raises a low "break overdue" 30 s of needle time into it, and no violation', async () => {
    const policy = { ...defaultBreakPolicy, microEveryMs: 5 * 60_000, microDurationMs: 2 * 60_000, restEveryMs: 30 * 60_000, restDurationMs: 5 * 60_000 };
    const { target } = await scenario('idles-through-breaks', { policy });
    const alarm = await raised(target, 'break-overdue', 20 * 60_000);
    expect(alarm.priority).toBe('low');
    expect(alarm.detail).toBe('the needle runs on during the break');
    const breakAt = target.store.db
      .prepare<[number], { at: number }>("SELECT max(at) AS at FROM break_events WHERE type = 'break' AND at <= ?")
      .get(alarm.raisedAt)!.at;
    // Strokes of 1–4 s with pauses between: 30 s of needle time takes longer than 30 s, and comes within the 2 min break.
    expect(alarm.raisedAt - breakAt).toBeGreaterThan(30_000);
    expect(alarm.raisedAt - breakAt).toBeLessThan(2 * 60_000);
    expect(alarmsOf(target, 'break-violation')).toEqual([]);
    await waitFor(() => alarmsOf(target, 'break-overdue')[0]?.state === 'closed', 5_000, 'the alarm to close with the break');
  });
});
