/**
 * `npm run bench:tablet-day`: whether the live pages grow over a long day. Sixteen simulated chairs
 * work through sessions, breaks and plans with the server's clock and the operators at 60× (an
 * hour a minute), while the wall and chair 1's tablet stay open. Every ten simulated minutes both
 * pages collect their garbage and report their JavaScript heap, DOM nodes and event listeners.
 * `BENCH_HOURS` (default 1) sets how many simulated hours it runs.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { Simulator } from '../../device-sim/simulator.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { ADMIN_TOKEN, startTestServer } from '../helpers/server.ts';
import { sleep } from './live-rig.ts';

const HOURS = Number(process.env.BENCH_HOURS ?? 1);
const SPEED = 60;
const CHAIRS = 16;
const EVERY_MS = (10 * 60_000) / SPEED; // ten simulated minutes

const target = await startTestServer({ timeScale: SPEED, webRoot: fileURLToPath(new URL('../../web/build', import.meta.url)), backups: { nightlyAt: null } });
const simulator = await Simulator.start({
  serverUrl: target.url, adminToken: ADMIN_TOKEN, chairs: CHAIRS, speed: SPEED, seed: 1, scenario: 'steady',
  telHz: 1, startSessions: true, deviceClock: 'virtual', tickMs: 25,
});
const browser = await launchBrowser();

async function open(path: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.context().request.post(`${target.url}/api/auth/sign-in`, { data: { token: ADMIN_TOKEN }, headers: { origin: target.url } });
  await page.goto(target.url + path);
  return page;
}

/** After a full garbage collection: what the page holds. */
async function footprint(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  await cdp.detach();
  return { heapMB: metrics.JSHeapUsedSize! / 2 ** 20, nodes: metrics.Nodes!, listeners: metrics.JSEventListeners! };
}

try {
  const chairs = await target.api.chairs();
  const pages = { wall: await open('/', { width: 1920, height: 1080 }), tablet: await open(`/chairs/${chairs[0]!.id}`, { width: 1280, height: 800 }) };
  process.stdout.write(`Live pages over ${HOURS} simulated hour(s) at ${SPEED}×, ${CHAIRS} chairs (heap after GC, DOM nodes, listeners)\n\n`);
  process.stdout.write('  simulated   wall heap   nodes  listeners   tablet heap   nodes  listeners\n');
  const rows: Array<{ minutes: number; wall: Awaited<ReturnType<typeof footprint>>; tablet: Awaited<ReturnType<typeof footprint>> }> = [];
  for (let minutes = 10; minutes <= HOURS * 60; minutes += 10) {
    await sleep(EVERY_MS);
    const row = { minutes, wall: await footprint(pages.wall), tablet: await footprint(pages.tablet) };
    rows.push(row);
    const cell = (f: typeof row.wall) => `${f.heapMB.toFixed(2).padStart(7)} MB ${String(f.nodes).padStart(7)} ${String(f.listeners).padStart(10)}`;
    process.stdout.write(`  ${`${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`.padStart(9)}  ${cell(row.wall)}    ${cell(row.tablet)}\n`);
  }
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const growth = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)}%`;
  process.stdout.write(
    `\nHeap from 10 min to ${HOURS} h: wall ${growth(first.wall.heapMB, last.wall.heapMB)}, tablet ${growth(first.tablet.heapMB, last.tablet.heapMB)} (goal: within 10%)\n`,
  );
} finally {
  await browser.close();
  await simulator.stop();
  await target.dispose();
}
