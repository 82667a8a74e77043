/**
 * `npm run bench` (last): does an online backup stall ingest? 16 chairs of raw protocol-v1
 * handpieces at a clinic's pace against the real server (its own process), the ack latency
 * measured with and without backups running one after another (POST /api/backups?wait=true), in
 * the same run, alternating, median of the rounds. The database is first filled with dots so that
 * the copy has real work to do.
 */
import { rmSync } from 'node:fs';
import { StippleApi } from '../../device-sim/api-client.ts';
import { backupEntry } from '../../server/protocol/backups.ts';
import { ChildServer, freePort } from '../helpers/child-server.ts';
import { ADMIN_TOKEN, tempDir } from '../helpers/server.ts';
import { runLoad, type DeviceCredentials, type LoadResult, type LoadShape } from './load.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FILL_SECONDS = Number(process.env.BENCH_FILL_SECONDS ?? 5);
const CHAIRS = 16;

const clinicPace: LoadShape = { mode: 'paced', seconds: SECONDS, telPerSecond: 50, dotsPerSecond: 3 };

const dataDir = tempDir('stipple-bench-backup-');
const port = await freePort();
const server = await ChildServer.start(dataDir, port);
const api = new StippleApi(server.url, ADMIN_TOKEN);
const deviceUrl = `ws://127.0.0.1:${port}/ws/device`;

/** Fresh handpieces for each run: a handpiece's seq goes on across runs, and load.ts starts at 1. */
let paired = 0;
async function handpieces(): Promise<DeviceCredentials[]> {
  const credentials: DeviceCredentials[] = [];
  for (let i = 0; i < CHAIRS; i++) {
    const chair = await api.createChair(`Bench ${++paired}`);
    const device = await api.pairDevice(chair.id, `Handpiece ${paired}`);
    credentials.push({ deviceId: device.id, token: device.token });
  }
  return credentials;
}

async function backUp(): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${server.url}/api/backups?wait=true`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (response.status !== 201) throw new Error(`backup failed: ${response.status} ${await response.text()}`);
  const { size } = backupEntry.parse(await response.json());
  return { ms: performance.now() - started, bytes: size };
}

/** The load, with backups one after another for as long as it runs. */
async function withBackups(credentials: DeviceCredentials[]): Promise<{ load: LoadResult; backups: Array<{ ms: number; bytes: number }> }> {
  let loading = true;
  const backups: Array<{ ms: number; bytes: number }> = [];
  const load = runLoad(deviceUrl, credentials, clinicPace).finally(() => (loading = false));
  const backingUp = (async () => {
    while (loading) backups.push(await backUp());
  })();
  const [result] = await Promise.all([load, backingUp]);
  return { load: result, backups };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (r: LoadResult) => `p50 ${r.p50Ms.toFixed(1)} ms | p99 ${r.p99Ms.toFixed(1)} ms | ${Math.round(r.perSecond).toLocaleString('en')} msg/s`;

try {
  await runLoad(deviceUrl, await handpieces(), { mode: 'saturate', seconds: FILL_SECONDS, window: 1000, frame: 100, dotEvery: 1 });
  const first = await backUp();
  process.stdout.write(
    `\nStipple backup benchmark (node ${process.version}): ${CHAIRS} chairs x (50 tel + 3 dots)/s, one message per frame; ` +
      `database of ${(first.bytes / 1024 ** 2).toFixed(1)} MiB (one backup alone: ${(first.ms / 1000).toFixed(2)} s); ${ROUNDS} rounds of ${SECONDS} s each way\n`,
  );
  const without: LoadResult[] = [];
  const during: LoadResult[] = [];
  const backupMs: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const quiet = await runLoad(deviceUrl, await handpieces(), clinicPace);
    const busy = await withBackups(await handpieces());
    without.push(quiet);
    during.push(busy.load);
    backupMs.push(...busy.backups.map((b) => b.ms));
    process.stdout.write(`  round ${round}: without backup ${fmt(quiet)}\n           with backups   ${fmt(busy.load)} (${busy.backups.length} backups)\n`);
  }
  const summary = (runs: LoadResult[]) => `p50 ${median(runs.map((r) => r.p50Ms)).toFixed(1)} ms | p99 ${median(runs.map((r) => r.p99Ms)).toFixed(1)} ms`;
  process.stdout.write(
    `\nAck latency, median of ${ROUNDS} rounds\n  without backup      ${summary(without)}\n  with backup running ${summary(during)}` +
      `  (${backupMs.length} backups, median ${(median(backupMs) / 1000).toFixed(2)} s each)\n`,
  );
} finally {
  await server.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
