/**
 * `npm run bench:latency`: glass-to-glass latency, from a simulated device's send to the moment the
 * value is in the Chromium DOM, on the supervisor wall with 16 and 64 chairs, each sending 50
 * telemetry samples and 3 dots a second. Baseline in the same run: a bare ws relay to a bare page.
 */
import { rmSync } from 'node:fs';
import { WebSocket } from 'ws';
import { StippleApi } from '../../device-sim/api-client.ts';
import { launchBrowser, signIn } from '../helpers/browser.ts';
import { ChildServer, freePort } from '../helpers/child-server.ts';
import { ADMIN_TOKEN, tempDir } from '../helpers/server.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TEL_PER_S = 50;
const DOTS_PER_S = 3;

interface Credentials { deviceId: string; token: string }

/**
 * Devices that send tel at 50/s and dots at 3/s, each message stamped with the wall clock. One timer
 * drives them all: on a 2-core machine the load generator must not eat the CPU it measures.
 */
function stream(url: string, devices: Credentials[]): () => void {
  const perMessageMs = 1000 / (TEL_PER_S + DOTS_PER_S);
  const dotEvery = Math.round((TEL_PER_S + DOTS_PER_S) / DOTS_PER_S);
  const links = devices.map((credentials, i) => {
    const link = { socket: new WebSocket(url), seq: 0, due: Infinity, offset: (i * perMessageMs) / devices.length };
    link.socket.on('open', () => link.socket.send(JSON.stringify({ type: 'hello', v: 1, ...credentials })));
    link.socket.on('message', (data) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === 'welcome' && link.due === Infinity) link.due = performance.now() + link.offset;
    });
    return link;
  });
  const timer = setInterval(() => {
    const now = performance.now();
    for (const link of links) {
      while (link.due <= now) {
        link.seq += 1;
        const { seq } = link;
        const ts = Date.now();
        const message = seq % dotEvery === 0
          ? { type: 'dot', seq, ts, region: 'crown', x: 0.5, y: 0.7, cycles: 18, dwellMs: 150, needles: 3 }
          : { type: 'tel', seq, ts, cycleHz: 110 + (seq % 30), needles: 3, running: true };
        link.socket.send(JSON.stringify(message));
        link.due += perMessageMs;
      }
    }
  }, 4);
  return () => {
    clearInterval(timer);
    links.forEach((l) => l.socket.terminate());
  };
}

/** Watches every cycle-rate cell and records, per change, now − the sample's device timestamp. */
const observe = `(() => {
  const samples = [];
  new MutationObserver((records) => {
    const now = Date.now();
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      const cell = el && el.closest('[data-testid="cycle-hz"]');
      if (cell && cell.dataset.ts) samples.push(now - Number(cell.dataset.ts));
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-ts'], characterData: true, childList: true });
  window.__latency = samples;
})()`;

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99) };
}

async function measure(kind: 'stipple' | 'relay', chairs: number) {
  const dataDir = tempDir('stipple-latency-');
  const port = await freePort();
  const server = await ChildServer.start(dataDir, port, kind === 'stipple' ? 'server/main.ts' : 'test/bench/relay-server.ts');
  const browser = await launchBrowser();
  try {
    const devices: Credentials[] = [];
    if (kind === 'stipple') {
      const api = new StippleApi(server.url, ADMIN_TOKEN);
      for (let i = 1; i <= chairs; i++) {
        const chair = await api.createChair(`Chair ${i}`);
        const device = await api.pairDevice(chair.id, `Handpiece ${i}`);
        // Every chair follows a plan, so the wall draws each one's coverage map as a clinic's would.
        const treatment = await api.createTreatment({ patientRef: `P-${i}`, sessions: 3 });
        await api.startSession({ chairId: chair.id, operatorId: `op-${i}`, patientRef: `P-${i}`, planId: treatment.plans[0]!.id });
        devices.push({ deviceId: device.id, token: device.token });
      }
    } else {
      for (let i = 1; i <= chairs; i++) devices.push({ deviceId: `relay-${i}`, token: 'unused' });
    }
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    if (kind === 'stipple') await signIn(page, server.url, '/');
    else await page.goto(server.url);
    await page.evaluate(observe);
    const stop = stream(`ws://127.0.0.1:${port}${kind === 'stipple' ? '/ws/device' : '/device'}`, devices);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // warm-up
    await page.evaluate('window.__latency.length = 0');
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const values = (await page.evaluate('window.__latency.slice()')) as number[];
    stop();
    return summary(values);
  } finally {
    await browser.close();
    await server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

process.stdout.write(`Glass-to-glass latency (${SECONDS} s per run; device send → value in the Chromium DOM)\n`);
for (const chairs of [16, 64]) {
  const relay = await measure('relay', chairs);
  const stipple = await measure('stipple', chairs);
  process.stdout.write(
    `\n${chairs} chairs × (${TEL_PER_S} tel + ${DOTS_PER_S} dots)/s\n` +
      `  baseline relay  p50 ${relay.p50} ms  p99 ${relay.p99} ms  (${relay.n} DOM updates)\n` +
      `  stipple wall    p50 ${stipple.p50} ms  p99 ${stipple.p99} ms  (${stipple.n} DOM updates)\n`,
  );
}
