import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Simulator } from '../device-sim/simulator.ts';
import { ChildServer, freePort } from './helpers/child-server.ts';
import { count, query } from './helpers/database.ts';
import { ADMIN_TOKEN, tempDir } from './helpers/server.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('a server killed with SIGKILL mid-stream', () => {
  it('loses no dot and doubles none: after four kills the store holds exactly the dots the handpieces made', async () => {
    const dataDir = tempDir();
    const stateDir = tempDir('stipple-sim-');
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    cleanup.push(() => rmSync(stateDir, { recursive: true, force: true }));
    const port = await freePort();
    let server = await ChildServer.start(dataDir, port);
    cleanup.push(() => server.kill());

    const simulator = await Simulator.start({
      serverUrl: server.url,
      adminToken: ADMIN_TOKEN,
      chairs: 3,
      speed: 20,
      seed: 7,
      scenario: 'steady',
      stateDir,
      startSessions: true,
      tickMs: 10,
      reconnect: { initialMs: 100, maxMs: 1_000 },
    });
    cleanup.push(() => simulator.stop());

    for (let kill = 0; kill < 4; kill++) {
      await sleep(700 + kill * 170);
      await server.kill();
      await sleep(300); // the handpieces keep making dots while the server is down
      server = await ChildServer.start(dataDir, port);
    }
    await sleep(1_000);
    simulator.halt();
    await simulator.delivered();

    const made = simulator.chairs.reduce((sum, c) => sum + c.dotsMade, 0);
    const sent = simulator.chairs.reduce((sum, c) => sum + c.client.sentSeq, 0);
    expect(made).toBeGreaterThan(200);
    // Every handpiece lived through at least one of the crashes and came back.
    expect(simulator.chairs.every((c) => c.client.connects > 1)).toBe(true);

    expect(count(dataDir, 'SELECT count(*) AS n FROM dots')).toBe(made);
    expect(count(dataDir, 'SELECT sum(dots) AS n FROM session_region_counts')).toBe(made);
    expect(count(dataDir, 'SELECT sum(samples) AS n FROM telemetry_seconds')).toBe(sent - made);
    const lastSeqs = query<{ lastSeq: number }>(dataDir, 'SELECT last_seq AS lastSeq FROM devices ORDER BY key');
    expect(lastSeqs.map((d) => d.lastSeq).sort()).toEqual(simulator.chairs.map((c) => c.client.sentSeq).sort());
    expect(count(dataDir, 'SELECT count(*) AS n FROM device_incidents')).toBe(0);
  });
});
