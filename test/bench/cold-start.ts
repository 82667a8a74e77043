/**
 * `npm run bench` (last part): how long a box takes from `node` to answering `/api/health`, for the
 * built server (`npm start`: dist/main.js, HTTPS on, an existing data dir as after a reboot), the
 * same code under tsx (how it started before it was built), and a bare node HTTP server — the
 * floor — in the same run. Median of several starts each.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/child-server.ts';
import { ADMIN_TOKEN, tempDir } from '../helpers/server.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bare = `require('node:http').createServer((q, s) => s.end('{"ok":true}')).listen(Number(process.env.PORT), '127.0.0.1')`;

interface Target {
  name: string;
  args: string[];
}

const targets: Target[] = [
  { name: 'bare node http server (floor)', args: ['-e', bare] },
  { name: 'stipple, built (npm start)', args: ['--enable-source-maps', 'dist/main.js'] },
  { name: 'stipple under tsx (before)', args: ['--import', 'tsx', 'server/main.ts'] },
];

async function healthy(port: number, deadline: number): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error('no answer from /api/health in 20 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Milliseconds from spawning the process to its first good /api/health. */
async function coldStart(target: Target, dataDir: string): Promise<number> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn(process.execPath, target.args, {
    cwd: root,
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', STIPPLE_HTTPS_PORT: String(await freePort()),
      STIPPLE_DATA_DIR: dataDir, STIPPLE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    await healthy(port, began + 20_000);
    return performance.now() - began;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

process.stdout.write(`cold start to /api/health, median of ${ROUNDS} (ms):\n`);
for (const target of targets) {
  const dataDir = tempDir('stipple-bench-start-');
  await coldStart(target, dataDir); // the first start makes the database and the clinic CA; a reboot finds them
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) times.push(await coldStart(target, dataDir));
  process.stdout.write(`  ${target.name.padEnd(34)} ${median(times).toFixed(0).padStart(6)}   (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})\n`);
  rmSync(dataDir, { recursive: true, force: true });
}
