/**
 * What the live-page benchmarks share: simulated handpieces streaming at a clinic's rate, chairs
 * following plans, and an observer of how old a figure is when it reaches the DOM.
 */
import { WebSocket } from 'ws';
import { StippleApi } from '../../device-sim/api-client.ts';

export const TEL_PER_S = 50;
export const DOTS_PER_S = 3;

export interface Credentials { deviceId: string; token: string }

/**
 * Devices that send tel at 50/s and dots at 3/s, each message stamped with the wall clock. One timer
 * drives them all: on a 2-core machine the load generator must not eat the CPU it measures. Dots
 * walk a small circle in the crown, so the coverage grid changes as a real session's does.
 */
export async function stream(url: string, devices: Credentials[]): Promise<() => void> {
  const perMessageMs = 1000 / (TEL_PER_S + DOTS_PER_S);
  const dotEvery = Math.round((TEL_PER_S + DOTS_PER_S) / DOTS_PER_S);
  const links: Array<{ socket: WebSocket; seq: number; due: number; offset: number }> = [];
  // One after another, as handpieces switched on through a morning: the box refuses more than a few
  // dozen sockets from one address that have not yet said hello.
  for (const [i, credentials] of devices.entries()) {
    const link = { socket: new WebSocket(url), seq: 0, due: Infinity, offset: (i * perMessageMs) / devices.length };
    link.socket.on('open', () => link.socket.send(JSON.stringify({ type: 'hello', v: 1, ...credentials })));
    await new Promise<void>((resolve, reject) => {
      link.socket.on('error', reject);
      link.socket.on('message', (data) => {
        if ((JSON.parse(data.toString()) as { type: string }).type !== 'welcome' || link.due !== Infinity) return;
        link.due = performance.now() + link.offset;
        resolve();
      });
    });
    links.push(link);
  }
  const timer = setInterval(() => {
    const now = performance.now();
    for (const link of links) {
      while (link.due <= now) {
        link.seq += 1;
        const { seq } = link;
        const ts = Date.now();
        const turn = seq / 400;
        const message = seq % dotEvery === 0
          ? { type: 'dot', seq, ts, region: 'crown', x: 0.5 + 0.06 * Math.cos(turn), y: 0.7 + 0.06 * Math.sin(turn), cycles: 18, dwellMs: 150, needles: 3 }
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

/** Chairs with a paired handpiece each, every one in a session that follows a plan, as a clinic's would. */
export async function chairsInSession(api: StippleApi, chairs: number): Promise<Array<Credentials & { chairId: string }>> {
  const devices = [];
  for (let i = 1; i <= chairs; i++) {
    const chair = await api.createChair(`Chair ${i}`);
    const device = await api.pairDevice(chair.id, `Handpiece ${i}`);
    const treatment = await api.createTreatment({ patientRef: `P-${i}`, sessions: 3 });
    await api.startSession({ chairId: chair.id, operatorId: `op-${i}`, patientRef: `P-${i}`, planId: treatment.plans[0]!.id });
    devices.push({ chairId: chair.id, deviceId: device.id, token: device.token });
  }
  return devices;
}

/** Watches every cycle-rate figure and records, per change, now − the sample's device timestamp. */
export const OBSERVE_LATENCY = `(() => {
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

export function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
