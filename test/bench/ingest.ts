/**
 * `npm run bench`: ingest throughput and ack latency of the full device path (validation, dedup,
 * attribution, fan-out, durable group commit) against a bare baseline (raw ws + batched inserts),
 * both as separate processes, under the same load, in the same run.
 */
import { rmSync } from 'node:fs';
import { StippleApi } from '../../device-sim/api-client.ts';
import { ChildServer, freePort } from '../helpers/child-server.ts';
import { ADMIN_TOKEN, tempDir } from '../helpers/server.ts';
import { runLoad, type DeviceCredentials, type LoadResult, type LoadShape } from './load.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);

async function target(name: 'full' | 'baseline', devices: number) {
  const dataDir = tempDir(`stipple-bench-${name}-`);
  const port = await freePort();
  const server = await ChildServer.start(dataDir, port, name === 'full' ? 'server/main.ts' : 'test/bench/baseline-server.ts');
  const credentials: DeviceCredentials[] = [];
  if (name === 'full') {
    const api = new StippleApi(server.url, ADMIN_TOKEN);
    for (let i = 0; i < devices; i++) {
      const chair = await api.createChair(`Bench ${i + 1}`);
      const device = await api.pairDevice(chair.id, `Handpiece ${i + 1}`);
      credentials.push({ deviceId: device.id, token: device.token });
    }
  } else {
    for (let i = 0; i < devices; i++) credentials.push({ deviceId: `baseline-${i}`, token: 'unused' });
  }
  const url = name === 'full' ? `ws://127.0.0.1:${port}/ws/device` : `ws://127.0.0.1:${port}`;
  return {
    run: (shape: LoadShape) => runLoad(url, credentials, shape),
    async stop() {
      await server.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const fmt = (r: LoadResult) =>
  `${Math.round(r.perSecond).toLocaleString('en')} msg/s | p50 ${r.p50Ms.toFixed(1)} ms | p99 ${r.p99Ms.toFixed(1)} ms`;

async function compare(title: string, devices: number, shape: LoadShape) {
  const results: Record<string, LoadResult> = {};
  for (const name of ['baseline', 'full'] as const) {
    const t = await target(name, devices);
    try {
      results[name] = await t.run(shape);
    } finally {
      await t.stop();
    }
  }
  const { baseline, full } = results as { baseline: LoadResult; full: LoadResult };
  process.stdout.write(
    `\n${title}\n  baseline  ${fmt(baseline)}\n  full path ${fmt(full)}\n  ratio full/baseline: ${(full.perSecond / baseline.perSecond).toFixed(2)}\n`,
  );
}

process.stdout.write(`Stipple ingest benchmark (${SECONDS} s per run, node ${process.version})\n`);
await compare('Throughput, clinic mix (1 dot : 16 tel): 16 devices, 100-message frames, 1,000 in flight each', 16, {
  mode: 'saturate', seconds: SECONDS, window: 1000, frame: 100, dotEvery: 17,
});
// Dots only: both sides write one row per message, the like-for-like comparison.
await compare('Throughput, dots only: 16 devices, 100-message frames, 1,000 in flight each', 16, {
  mode: 'saturate', seconds: SECONDS, window: 1000, frame: 100, dotEvery: 1,
});
await compare('Clinic load: 64 devices x (50 tel + 3 dots)/s, one message per frame', 64, {
  mode: 'paced', seconds: SECONDS, telPerSecond: 50, dotsPerSecond: 3,
});
