/**
 * `npm run bench` (session record): an eight-hour session — 40,000 dots with positions, 28,800
 * telemetry seconds, a day's breaks and alarms — and what its record costs: the report API, the
 * report drawn in Chromium, replay frames while playing at 600×, and the CSV export's rows per
 * second; next to a naive baseline in the same run (every dot as one JSON object).
 */
import { rmSync } from 'node:fs';
import { StippleApi } from '../../device-sim/api-client.ts';
import { STANDARD_REGIONS } from '../../server/protocol/v1.ts';
import { openStore } from '../../server/store/index.ts';
import { launchBrowser, signIn } from '../helpers/browser.ts';
import { ChildServer, freePort } from '../helpers/child-server.ts';
import { ADMIN_TOKEN, tempDir } from '../helpers/server.ts';
import type { DotWrite, SampleWrite } from '../../server/store/ingest-writer.ts';

const HOUR = 3_600_000;
const DOTS = 40_000;
const SECONDS = 8 * 3600;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const began = performance.now();
  const value = await run();
  return [value, performance.now() - began];
}

// A box with one chair whose session ran eight hours and ended.
const dataDir = tempDir('stipple-bench-record-');
const port = await freePort();
let server = await ChildServer.start(dataDir, port);
const api = new StippleApi(server.url, ADMIN_TOKEN);
const chair = await api.createChair('Chair 1');
await api.pairDevice(chair.id, 'Handpiece 1');
const session = await api.startSession({ chairId: chair.id, operatorId: 'op-bench', patientRef: 'P-BENCH' });
await api.endSession(session.id);
await server.kill();

const store = openStore(dataDir);
const start = Date.now() - 9 * HOUR;
store.db.prepare('UPDATE sessions SET started_at = ?, ended_at = ? WHERE id = ?').run(start, start + 8 * HOUR, session.id);
const deviceKey = store.db.prepare<[string], { key: number }>('SELECT key FROM devices WHERE chair_id = ?').get(chair.id)!.key;
const origin = { deviceKey, deviceId: 'bench', chairId: chair.id };
let seq = 0;
for (let from = 0; from < SECONDS; from += 2_000) {
  const samples: SampleWrite[] = [];
  const dots: DotWrite[] = [];
  for (let s = from; s < Math.min(SECONDS, from + 2_000); s++) {
    const madeAt = start + s * 1000 + 500;
    samples.push({ ...origin, madeAt, cycleHz: 118 + 12 * Math.sin(s / 300), needles: 3, running: s % 1800 < 1500, batteryPct: 80 });
    // 40,000 dots over 28,800 s: about 1.4 a second, spread across the regions and the map.
    for (let k = Math.floor((s * DOTS) / SECONDS); k < Math.floor(((s + 1) * DOTS) / SECONDS); k++) {
      const region = STANDARD_REGIONS[k % STANDARD_REGIONS.length]!;
      dots.push({ ...origin, seq: ++seq, madeAt, region, x: ((k * 7919) % 997) / 997, y: ((k * 104_729) % 991) / 991, cycles: 15 + (k % 9), dwellMs: 120 + (k % 60), needles: 3 });
    }
  }
  store.ingest.write({ dots, samples, incidents: [], progress: [{ deviceKey, lastSeq: seq, clockOffsetMs: 0 }] });
}
for (let b = 1; b <= 16; b++) {
  store.breaks.addEvent({ operatorId: 'op-bench', chairId: chair.id, type: 'break', kind: b % 4 === 0 ? 'rest' : 'micro', at: start + b * 25 * 60_000, ms: b % 4 === 0 ? 600_000 : 120_000, detail: 'the handpiece stops for the break' });
}
for (let a = 1; a <= 12; a++) {
  store.alarms.update({
    id: a, chairId: chair.id, condition: a % 2 ? 'cycle-out-of-band' : 'battery-low', priority: a % 2 ? 'high' : 'low', state: 'closed', conditionActive: false,
    detail: 'bench', operatorId: 'op-bench', raisedAt: start + a * 35 * 60_000, lastAt: start + a * 35 * 60_000 + 30_000, repeats: 0,
    acknowledgedBy: 'Sam', acknowledgedAt: start + a * 35 * 60_000 + 20_000, silencedUntil: null, escalated: false, closedAt: start + a * 35 * 60_000 + 60_000,
  });
}
store.close();

server = await ChildServer.start(dataDir, port);
const get = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

// The first open reads every dot; later opens of an ended session find that part kept.
const [, coldReport] = await timed(async () => (await get(`/api/sessions/${session.id}/report`)).json());
const reportTimes: number[] = [];
for (let i = 0; i < 7; i++) reportTimes.push((await timed(async () => (await get(`/api/sessions/${session.id}/report`)).json()))[1]);

const replayTimes: number[] = [];
let replayBytes = 0;
for (let i = 0; i < 7; i++) {
  const [text, ms] = await timed(async () => (await get(`/api/sessions/${session.id}/replay`)).text());
  replayTimes.push(ms);
  replayBytes = text.length;
}

// The naive baseline: the same dots, one JSON object each (what a simple "GET the dots" would send).
const naive = openStore(dataDir);
const naiveTimes: number[] = [];
let naiveBytes = 0;
for (let i = 0; i < 7; i++) {
  const [text, ms] = await timed(async () =>
    JSON.stringify(naive.db.prepare('SELECT made_at AS madeAt, region, x, y, cycles, dwell_ms AS dwellMs, needles FROM dots WHERE session_key = (SELECT key FROM sessions WHERE id = ?) ORDER BY made_at').all(session.id)));
  naiveTimes.push(ms);
  naiveBytes = text.length;
}
naive.close();

/** Rows of a CSV download, counted as the bytes stream in (the client's own parsing is not the export's cost). */
async function csvRows(path: string): Promise<number> {
  let lines = 0;
  const reader = (await get(path)).body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) for (const byte of read.value) if (byte === 10) lines += 1;
  return lines - 1;
}

const exportRates: number[] = [];
for (let i = 0; i < 5; i++) {
  const [rows, ms] = await timed(() => csvRows(`/api/sessions/${session.id}/export/dots.csv`));
  exportRates.push(rows / (ms / 1000));
}
const telemetryRates: number[] = [];
for (let i = 0; i < 5; i++) {
  const [rows, ms] = await timed(() => csvRows(`/api/sessions/${session.id}/export/telemetry.csv`));
  telemetryRates.push(rows / (ms / 1000));
}

const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
await signIn(page, server.url, '/sessions');
const drawn: number[] = [];
for (let i = 0; i < 5; i++) {
  await page.goto(`${server.url}/sessions/${session.id}`);
  await page.waitForFunction(() => performance.getEntriesByName('report-drawn').length > 0);
  // From navigation to the report's data on screen, in the next frame after it was set.
  drawn.push(await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())))));
  // The chart and the replay's dots load after the report; let them, so the next open starts on an idle box.
  await page.waitForSelector('[data-replay="ready"]');
}
await page.getByLabel('Speed').selectOption('600');
await page.getByLabel('Moment of the session').evaluate((input: HTMLInputElement) => {
  input.value = '0';
  input.dispatchEvent(new Event('input', { bubbles: true }));
});
await page.evaluate(() => performance.clearMeasures('replay-frame'));
await page.getByRole('button', { name: 'Play' }).click();
await page.waitForTimeout(4_000);
const frames = await page.evaluate(() => performance.getEntriesByName('replay-frame').map((e) => ({ at: e.startTime, ms: e.duration })));
await browser.close();
await server.kill();
rmSync(dataDir, { recursive: true, force: true });

const frameTimes = frames.map((f) => f.ms).sort((a, b) => a - b);
const fps = (frames.length - 1) / ((frames.at(-1)!.at - frames[0]!.at) / 1000);
const kb = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
process.stdout.write(
  [
    `session record, 8 h session: ${DOTS.toLocaleString('en')} dots, ${SECONDS.toLocaleString('en')} telemetry s, 16 breaks, 12 alarms (medians)`,
    `  report API, first open             ${coldReport.toFixed(0)} ms`,
    `  report API, opened again           ${median(reportTimes).toFixed(0)} ms`,
    `  replay dots, columnar              ${median(replayTimes).toFixed(0)} ms, ${kb(replayBytes)}`,
    `  baseline: one JSON object per dot  ${median(naiveTimes).toFixed(0)} ms (query + stringify only), ${kb(naiveBytes)}`,
    `  report drawn in Chromium           ${median(drawn).toFixed(0)} ms from navigation, opened again (goal ≤ 500)`,
    `  replay at 600×                     ${fps.toFixed(0)} frames/s, frame work p50 ${frameTimes[Math.floor(frameTimes.length / 2)]!.toFixed(2)} ms, p95 ${frameTimes[Math.floor(frameTimes.length * 0.95)]!.toFixed(2)} ms (goal ≥ 50 frames/s)`,
    `  CSV export, dots                   ${Math.round(median(exportRates)).toLocaleString('en')} rows/s (goal ≥ 200,000)`,
    `  CSV export, telemetry              ${Math.round(median(telemetryRates)).toLocaleString('en')} rows/s`,
    '',
  ].join('\n'),
);
