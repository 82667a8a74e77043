/**
 * `npm run bench:soak`: what a clinic day costs the box. Sixteen raw protocol-v1 handpieces at 50
 * telemetry samples and 3 dots a second, one message per frame, every chair in a session that
 * follows a plan (so breaks, alarms, coverage and the outlook all work), against the built server
 * (`dist/main.js`, as `npm start` runs it) in its own process. It reports the server's CPU share and
 * CPU per message from its own CPU time (/proc), event-loop delay p99, RSS and V8 heap over time with
 * their slope after warm-up, the WAL's peak and the storage a chair-day takes — next to the bare
 * ws + SQLite baseline of `npm run bench` under the same load in the same run.
 *
 *   npm run bench:soak                       10 minutes of nominal load (2 of them warm-up)
 *   npm run bench:soak -- --browsers         with a wall and a tablet per chair on /ws/live
 *   npm run bench:soak -- --day              a whole clinic day (16 chairs × 8 h) at --speed times
 *                                            life, the server's clock accelerated to match: sessions
 *                                            change every --session-hours, breaks and alarms come and
 *                                            go, and memory must come out where it went in (the live
 *                                            heap read after a full collection, over the inspector)
 *   --profile <dir>                          the server writes a CPU profile there on exit and a heap
 *                                            snapshot at the end of warm-up and at the end of the run
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { StippleApi } from '../../device-sim/api-client.ts';
import { DATABASE_FILE } from '../../server/store/db.ts';
import { ChildServer, freePort, type ChildOptions } from '../helpers/child-server.ts';
import { ADMIN_TOKEN, tempDir } from '../helpers/server.ts';
import { liveHeapBytes } from './live-heap.ts';
import { chairsInSession, DOTS_PER_S, sleep, TEL_PER_S } from './live-rig.ts';
import { runLoad, type DeviceCredentials, type LoadResult } from './load.ts';
import { fileBytes, readMetrics, readProcess, type ProcessReading } from './soak-probe.ts';
import { floorsPerWindow, levelBetween, slopePerHour, type Point } from './soak-trend.ts';

const { values: args } = parseArgs({
  options: {
    chairs: { type: 'string', default: '16' },
    minutes: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'baseline-minutes': { type: 'string', default: '2' },
    browsers: { type: 'boolean', default: false },
    day: { type: 'boolean', default: false },
    speed: { type: 'string', default: '100' },
    hours: { type: 'string', default: '8' },
    'session-hours': { type: 'string', default: '2' },
    profile: { type: 'string' },
  },
});
const CHAIRS = Number(args.chairs);
const MESSAGES_PER_S = TEL_PER_S + DOTS_PER_S;
const MB = 1024 ** 2;

interface Reading {
  /** Hours of clinic time since the load began. */
  hours: number;
  process: ProcessReading;
  heapUsedBytes: number;
  loopDelayP99Ms: number;
  walBytes: number;
}

interface Run {
  load: LoadResult;
  readings: Reading[];
  /** Clinic hours the run held, and from when its figures count (after warm-up). */
  hours: number;
  warmHours: number;
  databaseBytes: number;
  /** The live heap after a full collection, after the first hour's worth and near the end (a day only). */
  liveHeap?: { startBytes: number; endBytes: number };
}

/** Reads the process every `everyMs` while `work` runs; hours are real hours × `speed`. */
async function observe(server: ChildServer, metricsUrl: string | undefined, dataFile: string, speed: number, everyMs: number, work: Promise<LoadResult>, heapSnapshotAtMs?: number) {
  const readings: Reading[] = [];
  const began = performance.now();
  let snapshotTaken = heapSnapshotAtMs === undefined;
  const read = async () => {
    const metrics = metricsUrl ? await readMetrics(metricsUrl, ADMIN_TOKEN) : undefined;
    const process = readProcess(server.pid);
    readings.push({
      hours: ((process.at - began) / 3_600_000) * speed,
      process,
      heapUsedBytes: metrics?.heapUsedBytes ?? NaN,
      loopDelayP99Ms: metrics?.loopDelayP99Ms ?? NaN,
      walBytes: metrics?.walBytes ?? fileBytes(`${dataFile}-wal`),
    });
    if (!snapshotTaken && process.at - began >= heapSnapshotAtMs!) {
      snapshotTaken = true;
      server.signal('SIGUSR2');
    }
  };
  await read();
  let done = false;
  const reading = (async () => {
    while (!done) {
      await sleep(everyMs);
      if (!done) await read();
    }
  })();
  const load = await work;
  done = true;
  await reading;
  await read();
  return { load, readings };
}

function serverOptions(extraEnv: Record<string, string>, warmupMs: number, inspect: boolean): ChildOptions & { heapSnapshotAtMs?: number } {
  // The inspector on a port of its own, to ask V8 for a full collection and the heap left after it.
  const inspector = inspect ? ['--inspect=127.0.0.1:0'] : [];
  if (!args.profile) return { env: extraEnv, nodeArgs: inspector };
  mkdirSync(args.profile, { recursive: true });
  return {
    env: extraEnv,
    nodeArgs: [...inspector, '--cpu-prof', `--cpu-prof-dir=${args.profile}`, '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${args.profile}`],
    heapSnapshotAtMs: warmupMs,
  };
}

/** The server's live heap at each of `atMs` (real ms from now), read while the load runs. */
async function liveHeapAt(server: ChildServer, atMs: number[]): Promise<number[]> {
  const began = performance.now();
  const heaps: number[] = [];
  for (const at of atMs) {
    await sleep(Math.max(0, at - (performance.now() - began)));
    heaps.push(await liveHeapBytes(server.inspectorUrl!));
  }
  return heaps;
}

/** The bare ws + SQLite server of `npm run bench`, under the nominal load. */
async function baseline(minutes: number): Promise<Run> {
  const dataDir = tempDir('stipple-soak-baseline-');
  const port = await freePort();
  const server = await ChildServer.start(dataDir, port, 'test/bench/baseline-server.ts');
  try {
    const devices = Array.from({ length: CHAIRS }, (_, i) => ({ deviceId: `baseline-${i}`, token: 'unused' }));
    const work = runLoad(`ws://127.0.0.1:${port}`, devices, { mode: 'paced', seconds: minutes * 60, telPerSecond: TEL_PER_S, dotsPerSecond: DOTS_PER_S });
    const dataFile = join(dataDir, 'baseline.db');
    const { load, readings } = await observe(server, undefined, dataFile, 1, 10_000, work);
    return { load, readings, hours: minutes / 60, warmHours: Math.min(minutes / 2, Number(args.warmup)) / 60, databaseBytes: fileBytes(dataFile) + fileBytes(`${dataFile}-wal`) };
  } finally {
    await server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ token: ADMIN_TOKEN }),
  });
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

/**
 * A wall watching every chair and a tablet on each, reading (and dropping) what they are sent. Each
 * tablet comes from an address of its own, as tablets on the clinic Wi-Fi do: the box holds at most
 * 16 live sockets per address.
 */
async function browsers(baseUrl: string, port: number, chairIds: string[]): Promise<() => void> {
  const cookie = await signIn(baseUrl);
  const sockets: WebSocket[] = [];
  const open = async (subscribe: object, localAddress: string) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/live`, { headers: { cookie, origin: baseUrl }, localAddress, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify(subscribe));
    sockets.push(socket);
  };
  await open({ type: 'subscribe', scope: 'all' }, '127.0.0.1');
  for (const [i, chairId] of chairIds.entries()) await open({ type: 'subscribe', scope: 'chair', chairId }, `127.0.2.${i + 1}`);
  return () => sockets.forEach((s) => s.terminate());
}

/**
 * Every `sessionHours` of clinic time each chair's session ends and the next patient's begins, on a
 * new treatment plan, as the day goes: what a session leaves behind must not add up.
 */
function rotateSessions(api: StippleApi, speed: number, sessionHours: number): () => Promise<void> {
  let round = 0;
  let rotating = Promise.resolve();
  const timer = setInterval(() => {
    round += 1;
    rotating = rotating.then(async () => {
      for (const [i, chair] of (await api.chairs()).entries()) {
        if (chair.session) await api.endSession(chair.session.id);
        const patientRef = `P-${i + 1}-${round}`;
        const treatment = await api.createTreatment({ patientRef, sessions: 3 });
        await api.startSession({ chairId: chair.id, operatorId: `op-${i + 1}`, patientRef, planId: treatment.plans[0]!.id });
      }
    });
    // A failed round stops the rotation and fails the run when it ends, rather than the process at once.
    rotating.catch(() => clearInterval(timer));
  }, (sessionHours * 3_600_000) / speed);
  return async () => {
    clearInterval(timer);
    await rotating;
  };
}

/** Stipple itself: nominal load for `minutes`, or with `day` a whole day's messages at `speed`. */
async function stipple(minutes: number, day: boolean): Promise<Run> {
  const speed = day ? Number(args.speed) : 1;
  const hours = day ? Number(args.hours) : minutes / 60;
  const warmHours = day ? 1 : Number(args.warmup) / 60;
  const dataDir = tempDir('stipple-soak-');
  const port = await freePort();
  const warmMs = (warmHours * 3_600_000) / speed;
  const options = serverOptions({ STIPPLE_TIME_SCALE: String(speed), STIPPLE_TELEMETRY_DAYS: '1', STIPPLE_BACKUP_AT: 'off' }, warmMs, day);
  const server = await ChildServer.start(dataDir, port, 'dist/main.js', options);
  const stops: Array<() => unknown> = [];
  try {
    const api = new StippleApi(server.url, ADMIN_TOKEN);
    const chairs = await chairsInSession(api, CHAIRS);
    // The server's clock, anchored at the last session's start: the handpieces stamp their messages with it.
    const anchor = { real: Date.now(), clock: Math.max(...(await api.chairs()).map((c) => c.session?.startedAt ?? 0)) };
    const clinicNow = () => Math.round(anchor.clock + (Date.now() - anchor.real) * speed);
    if (args.browsers) stops.push(await browsers(server.url, port, chairs.map((c) => c.chairId)));
    const rotation = day ? rotateSessions(api, speed, Number(args['session-hours'])) : undefined;
    const credentials: DeviceCredentials[] = chairs.map(({ deviceId, token }) => ({ deviceId, token }));
    const seconds = (hours * 3600) / speed;
    // Both under load, so that what is in flight weighs the same in each.
    const liveHeap = day ? liveHeapAt(server, [warmMs, seconds * 1000 - 5_000]) : undefined;
    // A failed read fails the run when it is awaited at the end, not the process at once.
    liveHeap?.catch(() => {});
    const work = runLoad(`ws://127.0.0.1:${port}/ws/device`, credentials, {
      mode: 'paced',
      seconds,
      telPerSecond: TEL_PER_S * speed,
      dotsPerSecond: DOTS_PER_S * speed,
      // Faster than life, a handpiece's messages travel in fuller frames, about fifty a second, and
      // at most a second's worth waits for its ack: a box that cannot keep up takes fewer.
      framePerDevice: Math.max(1, Math.round((MESSAGES_PER_S * speed) / 50)),
      window: MESSAGES_PER_S * speed,
      now: clinicNow,
    });
    const everyMs = day ? 2_000 : 10_000;
    const { load, readings } = await observe(server, server.url, join(dataDir, DATABASE_FILE), speed, everyMs, work, options.heapSnapshotAtMs);
    await rotation?.();
    if (args.profile) server.signal('SIGUSR2');
    await sleep(1_000);
    const databaseBytes = fileBytes(join(dataDir, DATABASE_FILE)) + fileBytes(join(dataDir, `${DATABASE_FILE}-wal`));
    const [startBytes, endBytes] = (await liveHeap) ?? [];
    return { load, readings, hours, warmHours, databaseBytes, ...(startBytes !== undefined && endBytes !== undefined && { liveHeap: { startBytes, endBytes } }) };
  } catch (error) {
    // What the server said last, and how it exited if it did: the run's failure is often the server's.
    process.stderr.write(`The run failed. The server's last output:\n${server.output}\n`);
    throw error;
  } finally {
    stops.forEach((stop) => stop());
    // A clean stop, so that a CPU profile is written.
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Summary {
  messagesAcked: number;
  cpuShare: number;
  cpuMicrosPerMessage: number;
  messagesPerSecond: number;
  ackP99Ms: number;
  loopDelayP99Ms: number;
  rssStartMb: number;
  rssEndMb: number;
  rssSlopeMbPerHour: number;
  heapFloorStartMb: number;
  heapFloorEndMb: number;
  heapSlopeMbPerHour: number;
  liveHeapStartMb: number;
  liveHeapEndMb: number;
  walPeakMb: number;
  mbPerChairDay: number;
}

/** The run's figures after warm-up (CPU, slopes), and its memory at the start and end of what counts. */
function summarise(run: Run): Summary {
  const warm = run.readings.filter((r) => r.hours >= run.warmHours);
  const first = warm[0]!.process;
  const last = warm.at(-1)!.process;
  const cpuShare = (last.cpuSeconds - first.cpuSeconds) / ((last.at - first.at) / 1000);
  const series = (pick: (r: Reading) => number): Point[] => warm.map((r) => ({ hours: r.hours, value: pick(r) / MB }));
  const rss = series((r) => r.process.rssBytes);
  // The heap's floor per tenth of what counts: its level after the collections, not between them.
  const heapFloors = floorsPerWindow(series((r) => r.heapUsedBytes), (run.hours - run.warmHours) / 10);
  const window = (run.hours - run.warmHours) / 10;
  const chairDays = (CHAIRS * run.hours) / 8;
  // The first reading covers the server's start and the set-up of the chairs, not the load.
  const delays = run.readings.slice(1).map((r) => r.loopDelayP99Ms).filter((d) => !Number.isNaN(d));
  return {
    messagesAcked: run.load.messages,
    cpuShare,
    cpuMicrosPerMessage: (cpuShare * 1e6) / run.load.perSecond,
    messagesPerSecond: run.load.perSecond,
    ackP99Ms: run.load.p99Ms,
    loopDelayP99Ms: delays.length > 0 ? Math.max(...delays) : NaN,
    rssStartMb: levelBetween(rss, run.warmHours, run.warmHours + window),
    rssEndMb: levelBetween(rss, run.hours - window, Infinity),
    rssSlopeMbPerHour: slopePerHour(rss),
    heapFloorStartMb: heapFloors[0]?.value ?? NaN,
    heapFloorEndMb: heapFloors.at(-1)?.value ?? NaN,
    heapSlopeMbPerHour: slopePerHour(heapFloors),
    liveHeapStartMb: (run.liveHeap?.startBytes ?? NaN) / MB,
    liveHeapEndMb: (run.liveHeap?.endBytes ?? NaN) / MB,
    walPeakMb: Math.max(...run.readings.map((r) => r.walBytes)) / MB,
    mbPerChairDay: run.databaseBytes / MB / chairDays,
  };
}

const f = (n: number, digits = 1) => (Number.isNaN(n) ? '–' : n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }));

function print(title: string, s: Summary, goals: Array<[string, boolean]>): void {
  process.stdout.write(
    `\n${title}\n` +
      `  ${s.messagesAcked.toLocaleString('en')} messages acked\n` +
      `  CPU ${f(s.cpuShare * 100)} % of one core, ${f(s.cpuMicrosPerMessage, 0)} µs per message, ${f(s.messagesPerSecond, 0)} msg/s acked, ack p99 ${f(s.ackP99Ms)} ms\n` +
      `  event-loop delay p99 (worst scrape) ${f(s.loopDelayP99Ms)} ms\n` +
      `  RSS ${f(s.rssStartMb)} → ${f(s.rssEndMb)} MB, slope ${f(s.rssSlopeMbPerHour)} MB/h; heap floor ${f(s.heapFloorStartMb)} → ${f(s.heapFloorEndMb)} MB, slope ${f(s.heapSlopeMbPerHour)} MB/h\n` +
      (Number.isNaN(s.liveHeapStartMb) ? '' : `  live heap after a full collection ${f(s.liveHeapStartMb)} → ${f(s.liveHeapEndMb)} MB\n`) +
      `  WAL peak ${f(s.walPeakMb)} MB; storage ${f(s.mbPerChairDay)} MB per chair-day\n` +
      goals.map(([goal, met]) => `  ${met ? 'met   ' : 'MISSED'} ${goal}\n`).join(''),
  );
  process.stdout.write(`  ${JSON.stringify(s)}\n`);
}

process.stdout.write(`Stipple soak benchmark: ${CHAIRS} chairs × (${TEL_PER_S} tel + ${DOTS_PER_S} dots)/s, one message per frame${args.browsers ? ', a wall and a tablet per chair' : ''} (node ${process.version})\n`);
if (args.day) {
  const day = summarise(await stipple(0, true));
  // What must not happen is growth: memory handed back over the day is no fault.
  const within = (start: number, end: number) => end <= start * 1.1;
  print(`A clinic day at ${args.speed}× (${args.hours} h, sessions change every ${args['session-hours']} h); "start" is after the first hour's worth`, day, [
    ['RSS at the end no more than 10 % above where it was after the first hour', within(day.rssStartMb, day.rssEndMb)],
    ['live heap at the end no more than 10 % above where it was after the first hour', within(day.liveHeapStartMb, day.liveHeapEndMb)],
    ['event-loop delay p99 ≤ 20 ms throughout', day.loopDelayP99Ms <= 20],
  ]);
} else {
  const minutes = Number(args.minutes);
  const base = summarise(await baseline(Math.min(minutes, Number(args['baseline-minutes']))));
  print('Baseline: bare ws + SQLite (test/bench/baseline-server.ts)', base, []);
  const full = summarise(await stipple(minutes, false));
  const cpuGoal = args.browsers ? 0.08 : 0.05;
  print(`Stipple (dist/main.js), ${minutes} min, warm-up ${args.warmup} min`, full, [
    [`server CPU ≤ ${cpuGoal * 100} % of one core`, full.cpuShare <= cpuGoal],
    ['RSS growth after warm-up < 5 MB per hour', full.rssSlopeMbPerHour < 5],
    ['event-loop delay p99 ≤ 20 ms throughout', full.loopDelayP99Ms <= 20],
  ]);
  process.stdout.write(`  CPU per message, Stipple / baseline: ${f(full.cpuMicrosPerMessage / base.cpuMicrosPerMessage, 2)}\n`);
}
