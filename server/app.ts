import { createAdaptorServer } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { resolveAdminToken } from './auth/admin-token.ts';
import { Lockout } from './auth/lockout.ts';
import { scaledClock, systemClock, type Clock } from './clock.ts';
import { BreakService, defaultBreakService, type BreakServiceOptions } from './breaks/break-service.ts';
import { breakPolicySetting } from './breaks/policy.ts';
import { CoverageTracker } from './coverage/tracker.ts';
import { guidanceSetting } from './guidance/settings.ts';
import { AlarmService, defaultAlarmService, type AlarmServiceOptions } from './alarms/alarm-service.ts';
import { alarmSetting } from './alarms/settings.ts';
import { createHttpApp } from './http/app.ts';
import { createDeviceGateway } from './ingest/gateway.ts';
import { defaultGroupCommit, type GroupCommitOptions } from './ingest/group-commit.ts';
import { ChairBoard } from './live/chair-board.ts';
import { LiveHub } from './live/hub.ts';
import { defaultLiveChannel, LiveChannel, type LiveChannelOptions } from './live/live-channel.ts';
import { silentLogger, type Logger } from './log.ts';
import { DAY_MS } from './protocol/days.ts';
import { MAX_FRAME_BYTES } from './protocol/v1.ts';
import { defaultHeartbeat, Heartbeat, type HeartbeatOptions } from './sockets/heartbeat.ts';
import { openStore, type Store } from './store/index.ts';

export interface ServerOptions {
  dataDir: string;
  /** 0 picks a free port; read it back from `port`. */
  port: number;
  host?: string;
  /** STIPPLE_ADMIN_TOKEN; when absent one is generated at first start. */
  adminToken?: string;
  clock?: Clock;
  /** Without a `clock`: run the server's clock this many times faster than real time (demos). */
  timeScale?: number;
  log?: Logger;
  groupCommit?: Partial<GroupCommitOptions>;
  heartbeat?: Partial<HeartbeatOptions>;
  helloTimeoutMs?: number;
  live?: Partial<LiveChannelOptions>;
  /** The built dashboard to serve; without it the server is API and sockets only. */
  webRoot?: string;
  breaks?: Partial<BreakServiceOptions>;
  alarms?: Partial<AlarmServiceOptions>;
  /** How many days of per-second telemetry to keep (dots are kept for good). */
  telemetryRetentionDays?: number;
}

export interface RunningServer {
  port: number;
  url: string;
  /** The admin token made at this first start, to be shown once; undefined otherwise. */
  generatedAdminToken: string | undefined;
  hub: LiveHub;
  /** The open database, for tools and tests that look beneath the API. */
  store: Store;
  /** Every API route as "METHOD /path", for the access-rule check. */
  apiRoutes: string[];
  close(): Promise<void>;
}

const CLOCK_KEY = 'clock.last';

/**
 * An accelerated clock runs ahead of real time; after a restart it carries on from where it was,
 * so that sessions and breaks recorded ahead of real time are not in the clock's future.
 */
function acceleratedClock(store: Store, scale: number): Clock {
  if (scale === 1) return systemClock;
  const last = Number(store.settings.get(CLOCK_KEY) ?? 0);
  return scaledClock(scale, Math.max(Date.now(), last));
}

/** Starts the edge server: store, device gateway, HTTP API, all on one port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? silentLogger;
  const store = openStore(options.dataDir);
  const clock = options.clock ?? acceleratedClock(store, options.timeScale ?? 1);
  const clockSaver = clock.scale === 1 ? undefined : setInterval(() => store.settings.set(CLOCK_KEY, String(clock.now())), 1_000);
  const admin = resolveAdminToken(store.settings, options.adminToken);
  const hub = new LiveHub(log);
  const heartbeat = new Heartbeat({ ...defaultHeartbeat, ...options.heartbeat });
  const gateway = createDeviceGateway({
    store, hub, clock, log, heartbeat,
    groupCommit: { ...defaultGroupCommit, ...options.groupCommit },
    helloTimeoutMs: options.helloTimeoutMs ?? 10_000,
  });
  const coverage = new CoverageTracker(store, hub, guidanceSetting(store.settings).get());
  const breaks = new BreakService(store, gateway.registry, hub, clock, log, breakPolicySetting(store.settings).get(), { ...defaultBreakService, ...options.breaks });
  const alarms = new AlarmService(store, hub, clock, gateway.registry, coverage, breaks, alarmSetting(store.settings).get(), { ...defaultAlarmService, ...options.alarms });
  const board = new ChairBoard(store, gateway.registry, clock, hub, coverage, breaks, alarms);
  const live = new LiveChannel(board, { ...defaultLiveChannel, ...options.live }, heartbeat, log, clock, () => alarms.book.settings.audible);
  hub.on('settings', () => live.resynchronise());

  const retentionMs = (options.telemetryRetentionDays ?? 30) * DAY_MS;
  const prune = () => {
    const removed = store.telemetry.pruneBefore(clock.now() - retentionMs);
    if (removed > 0) log.info({ removed }, 'pruned old telemetry seconds');
  };
  prune();
  const pruneTimer = setInterval(prune, DAY_MS / 24);
  pruneTimer.unref();

  const app = createHttpApp({
    store, registry: gateway.registry, hub, clock, log, gateway, live, coverage, breaks, alarms,
    auth: { adminTokenHash: admin.hash, sessions: store.browserSessions, clock },
    lockout: new Lockout(),
    webRoot: options.webRoot,
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const server = createAdaptorServer({ fetch: app.fetch, websocket: { server: wss } });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`;
  log.info({ url, dataDir: options.dataDir }, 'stipple edge server listening');

  return {
    port,
    url,
    generatedAdminToken: admin.generated,
    hub,
    store,
    apiRoutes: [...new Set(app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`))],
    async close() {
      clearInterval(pruneTimer);
      // What the devices sent goes to the store first, so that the services see and save it.
      gateway.close();
      heartbeat.stop();
      live.close();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      alarms.close();
      breaks.close();
      clearInterval(clockSaver);
      if (clockSaver) store.settings.set(CLOCK_KEY, String(clock.now()));
      store.close();
    },
  };
}
