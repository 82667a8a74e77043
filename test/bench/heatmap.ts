/**
 * `npm run bench` (part 3): what the coverage heat layer costs the browser per frame with 40,000
 * dots on the map, measured in headless Chromium on the real operator page fed by the real server,
 * beside the baseline of drawing every dot, in the same page and run.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../server/app.ts';
import { regionAt } from '../../server/scalp/regions.ts';
import { launchBrowser, signIn } from '../helpers/browser.ts';
import { dot, RawDevice } from '../helpers/raw-device.ts';
import { ADMIN_TOKEN, chairWithDevice, tempDir } from '../helpers/server.ts';
import { StippleApi } from '../../device-sim/api-client.ts';

/** Dots on the map before the measuring starts: a full session and then some. */
const DOTS = 40_000;
const STREAM_SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const webRoot = fileURLToPath(new URL('../../web/build', import.meta.url));

const dataDir = tempDir('stipple-bench-heatmap-');
const server = await startServer({ dataDir, port: 0, host: '127.0.0.1', adminToken: ADMIN_TOKEN, webRoot });
const api = new StippleApi(server.url, ADMIN_TOKEN);
const { chairId, deviceId, token } = await chairWithDevice(api, 'Bench chair');
const treatment = await api.createTreatment({ patientRef: 'BENCH-1', sessions: 3 });
await api.startSession({ chairId, operatorId: 'op', patientRef: 'BENCH-1', planId: treatment.plans[0]!.id });

/** Dots spread over the head, each in the region it lies in. */
let seq = 0;
function nextDots(n: number) {
  const out = [];
  while (out.length < n) {
    const x = Math.random();
    const y = Math.random();
    const region = regionAt(x, y);
    if (region) out.push(dot(++seq, { x, y, region }));
  }
  return out;
}

const { device } = await RawDevice.hello(`ws://127.0.0.1:${server.port}/ws/device`, deviceId, token);
while (seq < DOTS) device.send(nextDots(300));
await device.acked(seq, 60_000);

const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signIn(page, server.url, `/chairs/${chairId}`);
  await page.waitForFunction((n) => document.querySelector('[data-testid="dots-total"]')?.textContent === n.toLocaleString('en'), seq);
  const drawsBefore = await page.evaluate('window.__stippleDraws.heat?.count ?? 0') as number;

  // A handpiece a hundred times busier than a real one, so that every animation frame has new cells.
  const streaming = setInterval(() => device.send(nextDots(20)), 20);
  await new Promise((resolve) => setTimeout(resolve, STREAM_SECONDS * 1000));
  clearInterval(streaming);
  await device.acked(seq, 10_000);

  const meter = await page.evaluate('window.__stippleDraws.heat') as { count: number; recentMs: number[] };
  const heat = meter.recentMs.slice(-(meter.count - drawsBefore));

  // Baseline: the same 40,000+ dots drawn one by one on a canvas the size of the map, every frame.
  const naive = await page.evaluate((count) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 460;
    document.body.append(canvas);
    const ctx = canvas.getContext('2d')!;
    const points = Array.from({ length: count }, () => [Math.random() * 460, Math.random() * 460] as const);
    const durations: number[] = [];
    for (let frame = 0; frame < 30; frame++) {
      const start = performance.now();
      ctx.clearRect(0, 0, 460, 460);
      ctx.fillStyle = 'rgba(61, 220, 132, 0.5)';
      for (const [x, y] of points) {
        ctx.beginPath();
        ctx.arc(x, y, 1.5, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.getImageData(0, 0, 1, 1); // waits for the drawing to finish
      durations.push(performance.now() - start);
    }
    canvas.remove();
    return durations;
  }, seq);

  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return `${values.length} frames | p50 ${at(0.5).toFixed(2)} ms | p95 ${at(0.95).toFixed(2)} ms | max ${at(1).toFixed(2)} ms`;
  };
  process.stdout.write(
    `\nHeat layer in Chromium, ${DOTS.toLocaleString('en')}+ dots on the map, ${STREAM_SECONDS} s of streaming (${seq.toLocaleString('en')} dots at the end)\n` +
      `  heat layer (grid → canvas)  ${stats(heat)}\n` +
      `  baseline: every dot drawn   ${stats(naive)}\n`,
  );
} finally {
  await browser.close();
  device.socket.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
