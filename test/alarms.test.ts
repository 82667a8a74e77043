import { afterEach, describe, expect, it } from 'vitest';
import { Simulator, type Scenario } from '../device-sim/simulator.ts';
import { defaultBreakPolicy } from '../server/protocol/breaks.ts';
import { alarmScenario, alarmsOf, changes, play, raised, SPEED, type ScenarioOptions } from './helpers/alarm-scenario.ts';
import { ADMIN_TOKEN, startTestServer, waitFor } from './helpers/server.ts';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** One chair following its plan, its operator playing `scenario`, the clocks at SPEED times real time. */
const scenario = (name: Scenario, options?: ScenarioOptions) => alarmScenario(name, (step) => cleanup.push(step), options);

describe('alarms from the simulator\'s fault scenarios', () => {
  it('a handpiece out of range for 20 s raises a medium "offline" alarm after 10 s, which closes when it is back', async () => {
    const { target, links } = await scenario('disconnect');
    const alarm = await raised(target, 'device-offline', 60_000);
    expect(alarm.priority).toBe('medium');
    // The handpiece leaves 30 s into the simulation; the alarm waits its 10 s (a quick reconnect is no alarm).
    const left = links.find((l) => !l.online)!.at;
    expect(alarm.raisedAt - left).toBeGreaterThanOrEqual(10_000);
    expect(alarm.raisedAt - left).toBeLessThan(15_000);
    expect(alarm.detail).toMatch(/^offline for 1\d s$/);
    await waitFor(() => alarmsOf(target, 'device-offline')[0]?.state === 'closed', 5_000, 'the alarm to close');
    expect(changes(target, alarm)).toEqual(['raised', 'condition-cleared', 'closed']);
  });

  it('a connected handpiece that goes silent raises a medium "silent" alarm after 15 s, closed when telemetry returns', async () => {
    const { target, samples } = await scenario('stall');
    const alarm = await raised(target, 'device-silent', 90_000);
    expect(alarm.priority).toBe('medium');
    // Silent from 60 s into the simulation; the alarm comes after 15 s without telemetry.
    const last = Math.max(...samples.map((s) => s.at).filter((at) => at <= alarm.raisedAt));
    expect(alarm.raisedAt - last).toBeGreaterThanOrEqual(15_000);
    expect(alarm.raisedAt - last).toBeLessThan(20_000);
    expect(alarm.detail).toMatch(/^no telemetry for 1\d s$/);
    await waitFor(() => alarmsOf(target, 'device-silent')[0]?.state === 'closed', 5_000, 'the alarm to close');
  });

  it('a cycle rate drifting out of band raises one high alarm, which escalates unacknowledged and stops escalating when acknowledged', async () => {
    const { target } = await scenario('drift');
    const alarm = await raised(target, 'cycle-out-of-band', 120_000);
    expect(alarm.priority).toBe('high');
    await waitFor(() => alarmsOf(target, 'cycle-out-of-band')[0]?.escalated, 3_000, 'the escalation');
    const ack = await target.request('POST', `/api/alarms/${alarm.id}/ack`);
    expect(ack.status).toBe(200);
    const after = alarmsOf(target, 'cycle-out-of-band');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ state: 'active', acknowledgedBy: 'admin token', escalated: false });
    expect(changes(target, alarm)).toEqual(['raised', 'escalated', 'acknowledged']);
  });

  it('a rate hovering at the band edge for ten minutes raises a handful of alarm events, not hundreds', async () => {
    const { target, startedAt } = await scenario('band-edge');
    await play(10 * 60_000);
    const samples = target.store.db.prepare<[number], { n: number }>('SELECT sum(samples) AS n FROM telemetry_seconds WHERE second * 1000 >= ?').get(startedAt)!.n;
    expect(samples).toBeGreaterThan(500); // ten minutes of a rate at the edge were really sent
    // One alarm, which may latch and come back as the rate wanders in and out: a handful of events.
    // (Its own events only: on a loaded machine a stalled event loop is 15 s of clock time at 120×, a "silent" alarm of its own.)
    const alarms = alarmsOf(target, 'cycle-out-of-band');
    expect(alarms).toHaveLength(1);
    expect(changes(target, alarms[0]!).length).toBeLessThanOrEqual(10);
  });

  it('a battery running down raises a low "battery" alarm', async () => {
    const { target } = await scenario('battery-drain');
    expect((await raised(target, 'battery-low', 120_000)).priority).toBe('low');
  });

  it('needles other than the plan\'s raise a medium alarm at the first such dot', async () => {
    const { target, startedAt } = await scenario('wrong-needles');
    const alarm = await raised(target, 'needles-off-plan', 30_000);
    expect(alarm.priority).toBe('medium');
    expect(alarm.detail).toMatch(/needles in .+; the plan says \d/);
    expect(alarm.raisedAt - startedAt).toBeLessThan(30_000);
  });

  it('an operator going past a region\'s target raises a medium "over target" alarm', async () => {
    const { target } = await scenario('over-density');
    expect((await raised(target, 'over-target', 30 * 60_000)).priority).toBe('medium');
  });

  it('a dot worked four times the norm raises a low overwork hint', async () => {
    const { target } = await scenario('overwork');
    expect((await raised(target, 'overwork', 5 * 60_000)).priority).toBe('low');
  });

  it('lost messages and broken ones raise low technical alarms, apart from the clinical ones', async () => {
    const gaps = await scenario('seq-gaps');
    expect((await raised(gaps.target, 'seq-gap', 5 * 60_000)).priority).toBe('low');
    // Further gaps are repeats of the one alarm: counted and kept, not new alarms.
    await waitFor(() => (alarmsOf(gaps.target, 'seq-gap')[0]?.repeats ?? 0) >= 1, 10_000, 'a repeat');
    expect(alarmsOf(gaps.target, 'seq-gap')).toHaveLength(1);
    const broken = await scenario('malformed');
    const refused = await raised(broken.target, 'refused-messages', 5 * 60_000);
    expect(refused.priority).toBe('low');
  });

  it('firing through a break raises a high alarm that stays latched after the break until someone acknowledges it', async () => {
    const policy = { ...defaultBreakPolicy, microEveryMs: 5 * 60_000, microDurationMs: 60_000, restEveryMs: 30 * 60_000, restDurationMs: 5 * 60_000 };
    const { target } = await scenario('ignores-breaks', { policy });
    const alarm = await raised(target, 'break-violation', 20 * 60_000);
    expect(alarm.priority).toBe('high');
    await waitFor(() => alarmsOf(target, 'break-violation')[0]?.state === 'latched', 5_000, 'the alarm to latch');
    expect((await target.request('POST', `/api/alarms/${alarm.id}/ack`)).status).toBe(200);
    expect(alarmsOf(target, 'break-violation')[0]).toMatchObject({ state: 'closed', acknowledgedBy: 'admin token' });
  });
});

describe('alarms across a restart', () => {
  it('an open alarm survives a restart of the server, and a repeat of its condition updates it instead of adding one', async () => {
    const first = await startTestServer({ timeScale: SPEED, alarms: { tickMs: 10 } });
    const simulator = await Simulator.start({
      serverUrl: first.url, adminToken: ADMIN_TOKEN, chairs: 1, speed: SPEED, seed: 7, scenario: 'wrong-needles', telHz: 2, tickMs: 10,
      startSessions: true, deviceClock: 'virtual',
    });
    const alarm = await waitFor(() => alarmsOf(first, 'needles-off-plan')[0], 5_000, 'the alarm');
    await simulator.stop();
    await first.close();
    const second = await startTestServer({ dataDir: first.dataDir, timeScale: SPEED, alarms: { tickMs: 10 } });
    cleanup.push(() => second.dispose());
    const reopened = second.store.alarms.open();
    expect(reopened.map((a) => [a.id, a.condition, a.state])).toEqual([[alarm.id, 'needles-off-plan', 'active']]);
  });
});
