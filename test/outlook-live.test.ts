import { afterEach, describe, expect, it } from 'vitest';
import { defaultBreakPolicy } from '../server/protocol/breaks.ts';
import { MINUTE } from './helpers/accelerated-session.ts';
import { watchWall } from './helpers/live-watch.ts';
import { startTestServer, waitFor } from './helpers/server.ts';
import { earlierBaselines, testClock, workedChair } from './helpers/worked-session.ts';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const TIRED = { dotGap: 1.08, pause: 1.3, dwellMean: 1, dwellSd: 1.45 };

async function server(policy = defaultBreakPolicy) {
  const clock = testClock(Date.UTC(2026, 10, 30, 9));
  const started = await startTestServer({ clock, outlook: { everyMs: 50 }, breaks: { tickMs: 5 } });
  cleanup.push(() => started.dispose());
  expect((await started.request('PUT', '/api/breaks/policy', policy)).status).toBe(200);
  const wall = await watchWall(started);
  cleanup.push(() => wall.close());
  /** The chair's outlook as the wall has it now. */
  const outlookOf = (chairId: string) => wall.chair(chairId)?.session?.outlook ?? null;
  return { server: started, clock, outlookOf };
}

describe('the outlook of a live session', () => {
  it('forecasts the plan from the work as it arrives, and reads a tired hand against the operator’s earlier sessions', async () => {
    const { server: s, clock, outlookOf } = await server();
    s.store.workBaselines.save('op-ana', 'an-earlier-session', earlierBaselines(), clock.t);
    const chair = await workedChair(s, clock, { operatorId: 'op-ana', patientRef: 'P-0412', hand: () => TIRED });
    cleanup.push(() => chair.device.close());

    // Three minutes of work are too few for a forecast worth showing; six are enough.
    await chair.work(3 * MINUTE);
    await waitFor(() => outlookOf(chair.chairId)?.at !== undefined && outlookOf(chair.chairId)!.at >= clock.t, 5_000, 'an outlook of now');
    expect(outlookOf(chair.chairId)!.forecast).toBeNull();
    await chair.work(3 * MINUTE);
    const early = await waitFor(() => outlookOf(chair.chairId)?.forecast ?? undefined, 5_000, 'a forecast');
    expect(early.finishAt).toBeGreaterThan(clock.t);
    expect(early.regions[0]!.dots).toBeGreaterThan(0);
    await chair.work(17 * MINUTE);
    await expect.poll(() => outlookOf(chair.chairId)?.fatigue?.shown, { timeout: 5_000 }).toBe(true);
    const outlook = outlookOf(chair.chairId)!;
    expect(outlook.fatigue).toMatchObject({ against: 'earlier-sessions', strongest: { label: 'dwell variability' } });
    expect(outlook.fatigue!.strongest!.change).toBeGreaterThan(0.25);
  });

  it('with the clinic’s response set to bring breaks forward, signs of fatigue start the micro-pause at once, logged with the sign', async () => {
    const { server: s, clock } = await server({ ...defaultBreakPolicy, fatigueResponse: 'break', microEveryMs: 20 * MINUTE });
    s.store.workBaselines.save('op-ana', 'an-earlier-session', earlierBaselines(), clock.t);
    const chair = await workedChair(s, clock, { operatorId: 'op-ana', patientRef: 'P-0413', hand: () => TIRED });
    cleanup.push(() => chair.device.close());

    await chair.work(30 * MINUTE);
    const inhibit = await chair.device.next('inhibit', 0, 5_000);
    expect(inhibit.reason).toBe('break');
    const brought = s.store.breaks.events('op-ana', 0).find((e) => e.type === 'break' && e.detail.startsWith('brought forward:'));
    expect(brought?.kind).toBe('micro');
    expect(brought?.detail).toMatch(/^brought forward: \S.* [+−]\d+ %$/);
    // Brought forward, not due: at between half and all of the 20 minutes of needle time the policy waits for.
    const deviceKey = s.store.devices.get(chair.deviceId)!.key;
    const needleSeconds = s.store.telemetry.seconds(deviceKey, chair.session.startedAt, brought!.at).filter((second) => second.runningSamples > 0).length;
    expect(needleSeconds).toBeGreaterThanOrEqual(10 * 60);
    expect(needleSeconds).toBeLessThan(20 * 60);
  });

  it('with fatigue reading off, no signs are read or shown', async () => {
    const { server: s, clock, outlookOf } = await server({ ...defaultBreakPolicy, fatigueResponse: 'off' });
    s.store.workBaselines.save('op-ana', 'an-earlier-session', earlierBaselines(), clock.t);
    const chair = await workedChair(s, clock, { operatorId: 'op-ana', patientRef: 'P-0414', hand: () => TIRED });
    cleanup.push(() => chair.device.close());
    await chair.work(20 * MINUTE);
    await expect.poll(() => outlookOf(chair.chairId)?.forecast?.finishAt, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(outlookOf(chair.chairId)!.fatigue).toBeNull();
  });

  it('an ended session leaves its first hour as the operator’s baseline for their next session, and nothing in memory', async () => {
    const { server: s, clock, outlookOf } = await server();
    const chair = await workedChair(s, clock, { operatorId: 'op-ben', patientRef: 'P-0415' });
    cleanup.push(() => chair.device.close());
    await chair.work(75 * MINUTE);
    expect(s.store.workBaselines.ofOperator('op-ben').size).toBe(0);
    expect((await s.request('POST', `/api/sessions/${chair.session.id}/end`)).status).toBe(200);
    await waitFor(() => s.store.workBaselines.ofOperator('op-ben').get('normal'), 5_000, 'the kept baseline');
    expect(s.store.workBaselines.ofOperator('op-ben').get('normal')!.workMs).toBeGreaterThanOrEqual(60 * MINUTE);
    await expect.poll(() => outlookOf(chair.chairId)).toBeNull();
  });
});
