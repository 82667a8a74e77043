import { afterEach, describe, expect, it } from 'vitest';
import { Simulator, type Scenario } from '../device-sim/simulator.ts';
import { orderGraceMs } from '../server/breaks/break-service.ts';
import { BreakEngine } from '../server/breaks/engine.ts';
import { defaultBreakPolicy, type BreakEvent, type BreakPolicy } from '../server/protocol/breaks.ts';
import { stallWatch } from './helpers/stall-watch.ts';
import { tel, RawDevice } from './helpers/raw-device.ts';
import { ADMIN_TOKEN, chairWithDevice, startTestServer, waitFor, type TestServer } from './helpers/server.ts';

const MINUTE = 60_000;
const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const started = await startTestServer(options);
  cleanup.push(() => started.dispose().catch(() => {}));
  return started;
}

const breakLog = (s: TestServer, operatorId: string) => s.store.breaks.events(operatorId, 0);
const ofType = (events: BreakEvent[], type: BreakEvent['type']) => events.filter((e) => e.type === type);

/** A simulated clinic at `speed` times real time, the server's clock keeping pace. */
async function acceleratedChair(scenario: Scenario, speed: number, policy?: BreakPolicy) {
  const target = await server({ timeScale: speed, breaks: { tickMs: 10 } });
  if (policy) expect((await target.request('PUT', '/api/breaks/policy', policy)).status).toBe(200);
  const simulator = await Simulator.start({
    serverUrl: target.url, adminToken: ADMIN_TOKEN, chairs: 1, speed, seed: 4, scenario, telHz: 1, tickMs: 10,
    startSessions: true, deviceClock: 'virtual',
  });
  cleanup.push(() => simulator.stop());
  const [chair] = await target.api.chairs();
  return { target, simulator, session: chair!.session!, sim: simulator.chairs[0]! };
}

describe('breaks enforced on a simulated clinic day', () => {
  it('an accelerated eight-hour session gets the breaks the policy implies, each enforced on the handpiece, as the log says', async () => {
    const speed = 480;
    // At 480× a stall of the box (an fsync on a busy disk) is minutes of clinic time: a decision
    // taken on the server's clock may come that late, and is allowed to.
    const stalls = stallWatch(speed);
    cleanup.push(() => stalls.stop());
    const { target, session, sim } = await acceleratedChair('steady', speed);
    const operator = session.operatorId;
    const limit = await waitFor(
      () => ofType(breakLog(target, operator), 'break').find((e) => e.kind === 'session'),
      120_000,
      'the session-length limit',
    );
    expect(Math.abs(limit.at - (session.startedAt + defaultBreakPolicy.maxSessionMs))).toBeLessThan(stalls.allowance(10_000));
    const log = breakLog(target, operator);
    const breaks = ofType(log, 'break').filter((e) => e.kind === 'micro' || e.kind === 'rest');
    // The plan's dots take a little over five hours at the chair, about half of it needle time: a
    // break every 25 minutes of it, five or six as the last one falls before or after the last dot.
    expect(breaks.length).toBeGreaterThanOrEqual(5);
    expect(breaks.some((b) => b.kind === 'rest')).toBe(true);

    // The same needle activity through a fresh engine gives the same breaks: the policy, applied.
    const replay = new BreakEngine(defaultBreakPolicy);
    const replayed = [...replay.sessionStarted(operator, session.startedAt)];
    const deviceKey = target.store.devices.get(sim.client.deviceId)!.key;
    const seconds = target.store.telemetry.seconds(deviceKey, session.startedAt, limit.at);
    for (const second of seconds) {
      const at = second.second * 1000;
      replayed.push(...replay.sample(operator, at, second.runningSamples > 0), ...replay.tick(at));
    }
    // The replay reads telemetry folded per second; at 480× a few real milliseconds of network jitter
    // move a sample by seconds of clock time, and over hours that adds up: a minute, against breaks
    // 25 minutes of work apart, or more when the box stalls. A break due within that of the session
    // limit may fall on either side of it in one engine and not the other: both are compared up to
    // that long before the limit.
    const DRIFT_MS = stalls.allowance(60_000);
    const settled = <T extends { at: number }>(list: T[]) => list.filter((e) => e.at < limit.at - DRIFT_MS);
    const expected = settled(replayed.filter((e) => e.type === 'break' && (e.kind === 'micro' || e.kind === 'rest')));
    const compared = settled(breaks);
    expect(compared.map((b) => b.kind)).toEqual(expected.map((b) => b.kind));
    compared.forEach((b, i) => expect(Math.abs(b.at - expected[i]!.at)).toBeLessThan(DRIFT_MS));

    // Each break reached the handpiece as an inhibit until its end, and a release followed.
    const orders = sim.orders.map((o) => o.message);
    for (const b of breaks) {
      const inhibit = orders.findIndex((m) => m.type === 'inhibit' && m.reason === 'break' && m.until === b.at + b.ms!);
      expect(inhibit, `inhibit for the break at ${b.at}`).toBeGreaterThanOrEqual(0);
      expect(orders.slice(inhibit + 1).some((m) => m.type === 'release')).toBe(true);
    }
    expect(ofType(log, 'served').length).toBe(breaks.length);

    // An operator who stops when told leaves no dots in a break beyond the moment the order takes to
    // arrive (a grace the server allows; at 480× a few real milliseconds are many clock seconds,
    // and a stall of the box holds the order back as long).
    const flagged = target.store.db.prepare<[], { madeAt: number }>('SELECT made_at AS madeAt FROM break_violations').all();
    for (const { madeAt } of flagged) {
      const during = breaks.find((b) => madeAt >= b.at && madeAt < b.at + b.ms!);
      expect(during && madeAt - during.at).toBeLessThan(stalls.allowance(60_000));
    }
  }, 150_000);

  it('an operator who fires on through a break has every dot stored, flagged as a violation, and shown', async () => {
    const policy = { ...defaultBreakPolicy, microEveryMs: 5 * MINUTE, microDurationMs: MINUTE, restEveryMs: 30 * MINUTE, restDurationMs: 5 * MINUTE };
    const speed = 240;
    const { target, session } = await acceleratedChair('ignores-breaks', speed, policy);
    const served = await waitFor(() => ofType(breakLog(target, session.operatorId), 'served')[0], 30_000, 'a break to pass');
    const started = ofType(breakLog(target, session.operatorId), 'break')[0]!;
    // The break as the engine judges it: dots within the order's time to arrive of either end are
    // the stroke the order caught, or one made at the release; only those between are violations.
    const grace = orderGraceMs(speed);
    const [from, to] = [started.at + grace, served.at - grace];
    const during = target.store.db
      .prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM dots WHERE made_at >= ? AND made_at < ?')
      .get(from, to)!.n;
    expect(during).toBeGreaterThan(5);
    const flagged = target.store.db
      .prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM break_violations WHERE made_at >= ? AND made_at < ?')
      .get(from, to)!.n;
    expect(flagged).toBe(during);
    expect(ofType(breakLog(target, session.operatorId), 'violation').length).toBeGreaterThanOrEqual(1);
    const history = await (await target.request('GET', `/api/operators/${session.operatorId}/breaks`)).json();
    expect(history.now.violationsToday).toBeGreaterThanOrEqual(flagged);
  }, 60_000);

  it('an operator who rests on their own gets natural breaks and no enforced micro-pause', async () => {
    const { target, session } = await acceleratedChair('natural-pauses', 480);
    await waitFor(() => ofType(breakLog(target, session.operatorId), 'natural').filter((e) => e.kind === 'micro').length >= 3, 60_000, 'natural breaks');
    const log = breakLog(target, session.operatorId);
    expect(ofType(log, 'break').filter((e) => e.kind === 'micro')).toEqual([]);
    for (const natural of ofType(log, 'natural')) expect(natural.ms).toBeGreaterThanOrEqual(defaultBreakPolicy.microDurationMs);
  }, 90_000);
});

describe('a break across a restart and across chairs', () => {
  it('a server restarted in the middle of a break keeps the break: the handpiece is inhibited again until its end, then released', async () => {
    const clock = { t: Date.UTC(2026, 10, 26, 8), now() { return this.t; }, scale: 1 };
    const first = await server({ clock, breaks: { tickMs: 5 } });
    const ids = await chairWithDevice(first.api);
    await first.api.startSession({ chairId: ids.chairId, operatorId: 'op-ana', patientRef: 'P-1' });
    const start = clock.t;
    const { device } = await RawDevice.hello(first.deviceUrl, ids.deviceId, ids.token);
    cleanup.push(() => device.close());
    // Twenty-five minutes and more of needle work, a sample a second, the clock moving with them.
    // The first sample comes alone, on time, so that the server reads the device clock as right.
    device.send(tel(1, { ts: start, running: true }));
    await device.acked(1);
    for (let s = 2; s <= 1502; s += 60) {
      const batch = Array.from({ length: 60 }, (_, i) => tel(s + i, { ts: start + (s + i - 1) * 1000, running: true }));
      clock.t = start + (s + 59 - 1) * 1000;
      device.send(batch);
      await device.acked(s + 59);
    }
    const inhibit = await device.next('inhibit');
    expect(inhibit).toEqual({ type: 'inhibit', reason: 'break', until: start + 1_500_000 + defaultBreakPolicy.microDurationMs });
    // Saved when it began, not at shutdown: a crash now would keep it too.
    const saved = first.store.db.prepare<[], { state: string }>("SELECT state FROM operator_fatigue WHERE operator_id = 'op-ana'").get()!;
    expect(JSON.parse(saved.state).current).toMatchObject({ kind: 'micro', until: inhibit.until });

    await first.close();
    clock.t += 30_000; // the break has half a minute to go
    const second = await server({ clock, breaks: { tickMs: 5 }, dataDir: first.dataDir });
    const again = await RawDevice.hello(second.deviceUrl, ids.deviceId, ids.token);
    cleanup.push(() => again.device.close());
    expect(await again.device.next('inhibit')).toEqual(inhibit);
    expect(again.device.received.some((m) => m.type === 'release')).toBe(false);

    clock.t = inhibit.until! + 1;
    await again.device.next('release');
    const log = breakLog(second, 'op-ana');
    expect(log.map((e) => [e.type, e.kind])).toEqual([
      ['warning', 'micro'], ['warning', 'micro'], ['break', 'micro'], ['served', 'micro'],
    ]);
  });

  it('a break follows its operator to another chair, and only a supervisor with a written reason lifts it', async () => {
    const clock = { t: Date.UTC(2026, 10, 26, 10), now() { return this.t; }, scale: 1 };
    const target = await server({ clock, breaks: { tickMs: 5 } });
    const chairA = await chairWithDevice(target.api, 'Chair A');
    const chairB = await chairWithDevice(target.api, 'Chair B');
    const atA = await target.api.startSession({ chairId: chairA.chairId, operatorId: 'op-cleo', patientRef: 'P-2' });
    const { device: handpieceA } = await RawDevice.hello(target.deviceUrl, chairA.deviceId, chairA.token);
    cleanup.push(() => handpieceA.close());
    const start = clock.t;
    handpieceA.send(tel(1, { ts: start, running: true }));
    await handpieceA.acked(1);
    for (let s = 1; s <= 1500; s += 100) {
      clock.t = start + (s + 99) * 1000;
      handpieceA.send(Array.from({ length: 100 }, (_, i) => tel(s + i + 1, { ts: start + (s + i) * 1000, running: true })));
      await handpieceA.acked(s + 100);
    }
    const inhibit = await handpieceA.next('inhibit');

    // Cleo leaves chair A mid-break and sits down at chair B: the break comes with her.
    await target.api.endSession(atA.id);
    await target.api.startSession({ chairId: chairB.chairId, operatorId: 'op-cleo', patientRef: 'P-3' });
    const { device: handpieceB } = await RawDevice.hello(target.deviceUrl, chairB.deviceId, chairB.token);
    cleanup.push(() => handpieceB.close());
    expect(await handpieceB.next('inhibit')).toEqual(inhibit);

    // An operator cannot lift it; a supervisor must say why.
    const sam = (await (await target.request('POST', '/api/people', { name: 'Sam', role: 'supervisor', secret: 'lead-of-the-floor' })).json()) as { id: string };
    const signIn = await fetch(`${target.url}/api/auth/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: target.url },
      body: JSON.stringify({ personId: sam.id, secret: 'lead-of-the-floor' }),
    });
    const headers = { cookie: signIn.headers.get('set-cookie')!.split(';')[0]!, origin: target.url, 'content-type': 'application/json' };
    const lift = (body: unknown) => fetch(`${target.url}/api/chairs/${chairB.chairId}/break/override`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await lift({ reason: '' })).status).toBe(400);
    expect((await lift({ reason: 'patient has to leave early' })).status).toBe(200);
    await handpieceB.next('release');
    const audit = target.store.db.prepare<[], { detail: string }>("SELECT detail FROM audit WHERE action = 'break.override'").all();
    expect(audit.map((a) => JSON.parse(a.detail))).toEqual([expect.objectContaining({ by: 'Sam', operatorId: 'op-cleo', kind: 'micro', reason: 'patient has to leave early' })]);
    expect(ofType(breakLog(target, 'op-cleo'), 'override')[0]).toMatchObject({ chairId: chairB.chairId, detail: 'patient has to leave early' });
  });
});
