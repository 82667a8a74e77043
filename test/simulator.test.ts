import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Simulator, type SimulatorOptions } from '../device-sim/simulator.ts';
import { freePort } from './helpers/child-server.ts';
import { count } from './helpers/database.ts';
import { ADMIN_TOKEN, startTestServer, tempDir, waitFor, type TestServer } from './helpers/server.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const started = await startTestServer(options);
  cleanup.push(() => started.close().catch(() => {}));
  return started;
}

async function simulate(target: TestServer, options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const simulator = await Simulator.start({
    serverUrl: target.url,
    adminToken: ADMIN_TOKEN,
    chairs: 2,
    speed: 10,
    seed: 3,
    scenario: 'steady',
    startSessions: true,
    tickMs: 20,
    reconnect: { initialMs: 50, maxMs: 500 },
    ...options,
  });
  cleanup.push(() => simulator.stop());
  return simulator;
}

async function sessionTotals(target: TestServer): Promise<number[]> {
  const chairs = await target.api.chairs();
  return Promise.all(chairs.map(async (c) => (await target.api.session(c.session!.id)).dots.total));
}

describe('the device simulator against the real server', () => {
  it('every dot a simulated handpiece makes is stored once, in its chair\'s session', async () => {
    const target = await server();
    const simulator = await simulate(target, { chairs: 3 });
    await waitFor(() => simulator.chairs.every((c) => c.dotsMade > 20), 10_000, 'dots on every chair');
    simulator.halt();
    await simulator.delivered();
    expect(await sessionTotals(target)).toEqual(simulator.chairs.map((c) => c.dotsMade));
  });

  it('provisions chairs, pairs handpieces and opens sessions through the API', async () => {
    const target = await server();
    const simulator = await simulate(target, { chairs: 2 });
    await waitFor(() => simulator.chairs.every((c) => c.client.state === 'open'), 5_000, 'both handpieces online');
    const chairs = await target.api.chairs();
    expect(chairs.map((c) => c.name)).toEqual(['Chair 1', 'Chair 2']);
    expect(chairs.every((c) => c.session !== null)).toBe(true);
    expect(chairs.map((c) => c.devices.map((d) => [d.fw, d.online]))).toEqual([
      [['stipple-sim/1', true]],
      [['stipple-sim/1', true]],
    ]);
  });

  it('an inhibited handpiece stops firing until it is released', async () => {
    const target = await server();
    const simulator = await simulate(target, { chairs: 1 });
    const [chair] = simulator.chairs;
    await waitFor(() => chair!.dotsMade > 5, 10_000, 'first dots');
    const session = (await target.api.chairs())[0]!.session!;
    await target.api.endSession(session.id);
    await waitFor(() => chair!.client.inhibit !== null, 5_000, 'the inhibit');
    const madeWhenInhibited = chair!.dotsMade;
    await sleep(1_500); // 15 s of simulated work at speed 10
    expect(chair!.dotsMade).toBe(madeWhenInhibited);
    await target.api.startSession({ chairId: chair!.chairId, operatorId: 'op-1', patientRef: 'P-2' });
    await waitFor(() => chair!.client.inhibit === null, 5_000, 'the release');
    await waitFor(() => chair!.dotsMade > madeWhenInhibited, 10_000, 'firing again');
  });

  it('a handpiece that loses its connection reconnects and resends what was not acknowledged', async () => {
    const target = await server();
    const simulator = await simulate(target, { chairs: 1 });
    const [chair] = simulator.chairs;
    for (let i = 0; i < 3; i++) {
      await sleep(400);
      chair!.client.drop();
    }
    await sleep(400);
    simulator.halt();
    await simulator.delivered();
    expect(chair!.client.connects).toBeGreaterThanOrEqual(4);
    expect(await sessionTotals(target)).toEqual([chair!.dotsMade]);
  });

  it('a restarted simulator keeps its devices and seq, and delivers what it held when it stopped', async () => {
    const dataDir = tempDir();
    const stateDir = tempDir('stipple-sim-');
    cleanup.push(() => rmSync(stateDir, { recursive: true, force: true }));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    let target = await server({ dataDir, port });

    const first = await simulate(target, { chairs: 2, stateDir });
    await waitFor(() => first.chairs.every((c) => c.dotsMade > 5), 10_000, 'first dots');
    await target.close(); // the server goes away; the handpieces keep working into their outboxes
    await sleep(500);
    await first.stop();
    const madeBefore = first.chairs.map((c) => c.dotsMade);
    const seqBefore = first.chairs.map((c) => c.client.sentSeq);
    expect(first.chairs.every((c) => c.client.unacked > 0)).toBe(true);

    target = await server({ dataDir, port });
    const second = await simulate(target, { chairs: 2, stateDir, seed: 4 });
    expect(second.chairs.map((c) => c.client.deviceId)).toEqual(first.chairs.map((c) => c.client.deviceId));
    await waitFor(() => second.chairs.every((c) => c.dotsMade > 5), 10_000, 'more dots');
    second.halt();
    await second.delivered();
    second.chairs.forEach((c, i) => expect(c.client.sentSeq).toBeGreaterThan(seqBefore[i]!));
    expect(await sessionTotals(target)).toEqual(second.chairs.map((c, i) => c.dotsMade + madeBefore[i]!));
    expect(count(dataDir, "SELECT count(*) AS n FROM device_incidents WHERE kind = 'gap'")).toBe(0);
  });
});
