import { WebSocket } from 'ws';

export interface LoadResult {
  messages: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface DeviceCredentials {
  deviceId: string;
  token: string;
}

export interface LoadShape {
  /** `saturate`: keep `window` messages in flight in frames of `frame`; `paced`: a real clinic's rate. */
  mode: 'saturate' | 'paced';
  seconds: number;
  /** Paced: at most this many unacknowledged messages per device (unbounded without it). */
  window?: number;
  frame?: number;
  /** For saturate: one message in this many is a dot, the rest telemetry (1: dots only). */
  dotEvery?: number;
  /** For paced: telemetry samples and dots per second per device. */
  telPerSecond?: number;
  dotsPerSecond?: number;
  /** For paced: messages per frame (1 unless a faster-than-life run needs fewer, fuller frames). */
  framePerDevice?: number;
  /** The clock the messages' `ts` come from: the wall clock unless the server's runs faster. */
  now?: () => number;
}

const REGIONS = ['hairline', 'frontal', 'midscalp', 'crown', 'occipital'] as const;

/** An operator works a region for a while (about a minute of a handpiece's messages) before moving on. */
const MESSAGES_PER_REGION = 3_000;

function message(seq: number, isDot: boolean, ts: number) {
  return isDot
    ? { type: 'dot', seq, ts, region: REGIONS[Math.floor(seq / MESSAGES_PER_REGION) % REGIONS.length], x: 0.5, y: 0.4, cycles: 18, dwellMs: 150, needles: 3 }
    : { type: 'tel', seq, ts, cycleHz: 120 + (seq % 10), needles: 3, running: true, batteryPct: 80 };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Drives devices against `url` and measures acknowledged messages per second and ack latency. */
export async function runLoad(url: string, devices: DeviceCredentials[], shape: LoadShape): Promise<LoadResult> {
  const latencies: number[] = [];
  let acked = 0;
  let lastAckAt = 0;
  const started = performance.now();
  const endAt = started + shape.seconds * 1000;
  const stamp = shape.now ?? Date.now;

  await Promise.all(
    devices.map(
      (credentials, index) =>
        new Promise<void>((resolve, reject) => {
          const socket = new WebSocket(url, { perMessageDeflate: false });
          const inFlight: Array<[seq: number, sentAt: number]> = [];
          let seq = 0;
          let pacer: NodeJS.Timeout | undefined;
          const sendBatch = (count: number, dotEvery: number) => {
            const batch = [];
            for (let i = 0; i < count; i++) {
              seq += 1;
              batch.push(message(seq, seq % dotEvery === 0, stamp()));
              inFlight.push([seq, performance.now()]);
            }
            socket.send(JSON.stringify(batch.length === 1 ? batch[0] : batch));
          };
          const topUp = () => {
            const window = shape.window ?? 1000;
            const frame = shape.frame ?? 100;
            while (performance.now() < endAt && inFlight.length + frame <= window) sendBatch(frame, shape.dotEvery ?? 17);
          };
          const finish = () => {
            clearInterval(pacer);
            socket.close();
            resolve();
          };
          socket.on('error', reject);
          socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', v: 1, ...credentials })));
          socket.on('message', (data) => {
            const m = JSON.parse(data.toString()) as { type: string; seq?: number };
            if (m.type === 'welcome') {
              if (shape.mode === 'saturate') topUp();
              else {
                // Each device sends its samples one message per frame, as a simple handpiece would.
                const perSecond = (shape.telPerSecond ?? 50) + (shape.dotsPerSecond ?? 3);
                const dotEvery = Math.round(perSecond / (shape.dotsPerSecond ?? 3));
                const frame = shape.framePerDevice ?? 1;
                const everyMs = (1000 * frame) / perSecond;
                let due = performance.now() + (index % 20);
                pacer = setInterval(() => {
                  const now = performance.now();
                  if (now >= endAt) {
                    if (inFlight.length === 0) finish();
                    return;
                  }
                  while (due <= now) {
                    // A box that cannot keep up is not buried: the device waits for its acks and its schedule slips.
                    if (inFlight.length >= (shape.window ?? Infinity)) {
                      due = now + everyMs;
                      break;
                    }
                    sendBatch(frame, dotEvery);
                    due += everyMs;
                  }
                }, 5);
              }
            } else if (m.type === 'ack' && m.seq !== undefined) {
              const now = performance.now();
              lastAckAt = now;
              while (inFlight.length > 0 && inFlight[0]![0] <= m.seq) {
                latencies.push(now - inFlight.shift()![1]);
                acked += 1;
              }
              if (shape.mode === 'saturate') topUp();
              if (now >= endAt && inFlight.length === 0) finish();
            }
          });
          setTimeout(finish, shape.seconds * 1000 + 10_000).unref();
        }),
    ),
  );
  const seconds = (lastAckAt - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { messages: acked, seconds, perSecond: acked / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}
