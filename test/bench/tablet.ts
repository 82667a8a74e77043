/**
 * `npm run bench:tablet`: what the live pages cost the device that shows them. For the operator's
 * view of one chair and the wall with 16 and 64 chairs, each chair's handpiece sending 50 telemetry
 * samples and 3 dots a second under a plan, at CPU throttling 1× and 4× (a mid-range tablet):
 * the main thread's busy share (Chrome's own TaskDuration), frames drawn a second, and
 * glass-to-glass latency (device send → figure in the DOM). Baseline in the same run: a bare ws
 * relay to a page that draws the same samples in one uPlot chart.
 */
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { StippleApi } from '../../device-sim/api-client.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { ChildServer, freePort } from '../helpers/child-server.ts';
import { ADMIN_TOKEN, tempDir } from '../helpers/server.ts';
import { chairsInSession, OBSERVE_LATENCY, percentiles, sleep, stream, type Credentials } from './live-rig.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARM_UP_MS = 3_000;
/** CPU throttling rates to run at: 4× stands for a mid-range tablet. */
const THROTTLES = (process.env.BENCH_THROTTLES ?? '1,4').split(',').map(Number);

type Kind = 'relay' | 'operator' | 'wall';
interface Cost { busy: number; fps: number; p50: number; p99: number; updates: number }

/** The main thread's busy share over `seconds`, from Chrome's own task accounting. */
async function busyOver(page: Page, seconds: number): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  };
  const before = await read();
  await sleep(seconds * 1000);
  const after = await read();
  return (after.TaskDuration! - before.TaskDuration!) / (after.Timestamp! - before.Timestamp!);
}

/** Frames the compositor drew a second over `seconds`, counted from a trace (apart from the busy window: tracing costs). */
async function framesPerSecond(page: Page, seconds: number): Promise<number> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline.frame', 'devtools.timeline'] });
  await sleep(seconds * 1000);
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: Array<{ name: string }> };
  return trace.traceEvents.filter((e) => e.name === 'DrawFrame').length / seconds;
}

async function measure(kind: Kind, chairs: number, throttle: number): Promise<Cost> {
  const dataDir = tempDir('stipple-tablet-');
  const port = await freePort();
  const server = await ChildServer.start(dataDir, port, kind === 'relay' ? 'test/bench/relay-server.ts' : 'server/main.ts');
  const browser = await launchBrowser();
  try {
    let devices: Credentials[];
    let path = '/';
    if (kind === 'relay') devices = Array.from({ length: chairs }, (_, i) => ({ deviceId: `relay-${i + 1}`, token: 'unused' }));
    else {
      const inSession = await chairsInSession(new StippleApi(server.url, ADMIN_TOKEN), chairs);
      devices = inSession;
      if (kind === 'operator') path = `/chairs/${inSession[0]!.chairId}`;
    }
    // The operator's tablet is a 10" landscape tablet; the wall a 1080p screen.
    const viewport = kind === 'operator' ? { width: 1280, height: 800 } : { width: 1920, height: 1080 };
    const page = await browser.newPage({ viewport });
    // Signed in through the API rather than the form: a click leaves a mouse pointer on the page,
    // which Chrome hit-tests after every layout, as a touch tablet never would.
    if (kind !== 'relay') await page.context().request.post(`${server.url}/api/auth/sign-in`, { data: { token: ADMIN_TOKEN }, headers: { origin: server.url } });
    await page.goto(server.url + path);
    await page.evaluate(OBSERVE_LATENCY);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    const stop = await stream(`ws://127.0.0.1:${port}${kind === 'relay' ? '/device' : '/ws/device'}`, devices);
    await sleep(WARM_UP_MS);
    await page.evaluate('window.__latency.length = 0');
    const busy = await busyOver(page, SECONDS);
    const latency = percentiles((await page.evaluate('window.__latency.slice()')) as number[]);
    const fps = await framesPerSecond(page, 3);
    stop();
    return { busy, fps, p50: latency.p50, p99: latency.p99, updates: latency.n };
  } finally {
    await browser.close();
    await server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(6);
const row = (label: string, c: Cost) =>
  `  ${label.padEnd(22)} busy ${pct(c.busy)}  ${c.fps.toFixed(0).padStart(3)} fps  glass-to-glass p50 ${c.p50} ms  p99 ${c.p99} ms  (${c.updates} figures)\n`;

process.stdout.write(`What the live pages cost the screen (${SECONDS} s per run after ${WARM_UP_MS / 1000} s warm-up; each chair ${50} tel + ${3} dots/s under a plan)\n`);
const pages: Array<[Kind, number, string]> = [['operator', 1, 'operator view, 1 chair'], ['wall', 16, 'wall, 16 chairs'], ['wall', 64, 'wall, 64 chairs']];
const only = process.argv[2];
for (const [kind, chairs, label] of pages) {
  if (only && !label.startsWith(only)) continue;
  for (const throttle of THROTTLES) {
    process.stdout.write(`\n${label}, CPU ${throttle}×\n`);
    process.stdout.write(row('baseline relay + uPlot', await measure('relay', chairs, throttle)));
    process.stdout.write(row('stipple', await measure(kind, chairs, throttle)));
  }
}
