import { createAdaptorServer } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { resolveAdminToken } from './auth/admin-token.ts';
import { hashToken } from './auth/tokens.ts';
import { SignInThrottle } from './auth/sign-in-throttle.ts';
import { scaledClock, systemClock, type Clock } from './clock.ts';
import { BreakService, defaultBreakService, type BreakServiceOptions } from './breaks/break-service.ts';
import { breakPolicySetting } from './breaks/policy.ts';
import { CoverageTracker } from './coverage/tracker.ts';
import { guidanceSetting } from './guidance/settings.ts';
import { AlarmService, defaultAlarmService, type AlarmServiceOptions } from './alarms/alarm-service.ts';
import { alarmSetting } from './alarms/settings.ts';
import { prepareBackupDir } from './backup/backup-dir.ts';
import { BackupService, defaultBackups, type BackupOptions } from './backup/backup-service.ts';
import { openCheckedStore } from './backup/damaged-database.ts';
import { markInUse } from './backup/data-dir-lock.ts';
import { PhotoFiles } from './followup/photo-files.ts';
import { createHttpApp } from './http/app.ts';
import { createDeviceGateway } from './ingest/gateway.ts';
import { defaultGroupCommit, type GroupCommitOptions } from './ingest/group-commit.ts';
import { ChairBoard } from './live/chair-board.ts';
import { LiveHub } from './live/hub.ts';
import { defaultLiveChannel, LiveChannel, type LiveChannelOptions } from './live/live-channel.ts';
import { silentLogger, type Logger } from './log.ts';
import { everyRound } from './rounds.ts';
import { defaultOutlook, OutlookService, type OutlookOptions } from './outlook/outlook-service.ts';
import { DAY_MS } from './protocol/days.ts';
import { MAX_FRAME_BYTES } from './protocol/v1.ts';
import { AddressQuota } from './sockets/address-quota.ts';
import { defaultHeartbeat, Heartbeat, type HeartbeatOptions } from './sockets/heartbeat.ts';
import { defaultSessionBound, SessionBoundSockets, type SessionBoundOptions } from './sockets/session-bound.ts';
import { HTTP_SERVER_LIMITS } from './http/request-limits.ts';
import { createMetrics } from './metrics/metrics.ts';
import { statfsFreeSpace } from './backup/disk.ts';
import type { Store } from './store/index.ts';
import { ClinicTls, type TlsOptions } from './tls/clinic-tls.ts';
import { listenHttps } from './tls/https-listener.ts';
import { currentBoxNames } from './tls/names.ts';
import { behindPlainHttpGate } from './tls/plain-http-gate.ts';

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
  outlook?: Partial<OutlookOptions>;
  /** How many days of per-second telemetry to keep (dots are kept for good). */
  telemetryRetentionDays?: number;
  /** STIPPLE_BACKUP_DIR; `<data dir>/backups` when absent. */
  backupDir?: string;
  backups?: Partial<BackupOptions>;
  sessionBound?: Partial<SessionBoundOptions>;
  /** STIPPLE_METRICS_TOKEN: a token for `GET /metrics` alone (the admin token works too). */
  metricsToken?: string;
  /** Sockets one address may hold: devices before their hello (a gateway's handpieces reconnecting at once), live feeds. */
  socketsPerAddress?: Partial<SocketsPerAddress>;
  /**
   * Serve everything over HTTPS as well, on its own port: plain HTTP then serves the box itself
   * (loopback) and sends everyone else to HTTPS. Without it, plain HTTP only, to everyone.
   */
  tls?: TlsOptions;
}

export interface SocketsPerAddress {
  strangerDevices: number;
  live: number;
}

export const defaultSocketsPerAddress: SocketsPerAddress = { strangerDevices: 32, live: 16 };

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
  /** With `tls`: the HTTPS port and URL, and the CA that tablets install and handpieces pin. */
  httpsPort: number | undefined;
  httpsUrl: string | undefined;
  clinicCa: { pem: string; fingerprint: string } | undefined;
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
  // First, before anything is opened: a bad certificate setting stops the start with one line.
  const tls = options.tls && (await ClinicTls.start(options.tls, options.dataDir, { now: systemClock.now, names: () => currentBoxNames(options.tls?.extraNames), log }));
  const backupDir = prepareBackupDir(options.dataDir, options.backupDir);
  const store = await openCheckedStore(options.dataDir, backupDir);
  const clock = options.clock ?? acceleratedClock(store, options.timeScale ?? 1);
  const clockSaver = clock.scale === 1 ? undefined : everyRound(1_000, 'saving the accelerated clock', log, () => store.settings.set(CLOCK_KEY, String(clock.now())));
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
  const alarms = new AlarmService(store, hub, clock, gateway.registry, coverage, breaks, alarmSetting(store.settings).get(), { ...defaultAlarmService, ...options.alarms }, log);
  const backups = new BackupService(store, hub, clock, alarms, log, options.dataDir, backupDir, { ...defaultBackups, ...options.backups });
  const outlook = new OutlookService(store, hub, clock, coverage, breaks, { ...defaultOutlook, ...options.outlook }, log);
  const board = new ChairBoard(store, gateway.registry, clock, hub, coverage, breaks, alarms, outlook);
  const live = new LiveChannel(board, { ...defaultLiveChannel, ...options.live }, heartbeat, log, clock, () => alarms.book.settings.audible);
  hub.on('settings', () => live.resynchronise());

  const retentionMs = (options.telemetryRetentionDays ?? 30) * DAY_MS;
  const prune = () => {
    const removed = store.telemetry.pruneBefore(clock.now() - retentionMs);
    if (removed > 0) log.info({ removed }, 'pruned old telemetry seconds');
  };
  prune();
  // Hourly on the clinic's clock: an accelerated day (demos, the soak benchmark) prunes as a real one does.
  const pruneTimer = everyRound(DAY_MS / 24 / clock.scale, 'pruning old telemetry', log, prune);

  const metrics = createMetrics({
    gateway, live, alarms, backups, clock, dataDir: options.dataDir, freeSpace: options.backups?.freeSpace ?? statfsFreeSpace,
    heldInMemory: () => ({
      device_states: gateway.registry.devicesHeld,
      guidance_sessions: coverage.rules.sessionsHeld,
      live_plans: board.plansHeld,
      break_operators: breaks.engine.operators().length,
    }),
  });
  const sessionSockets = new SessionBoundSockets(store.browserSessions, clock, { ...defaultSessionBound, ...options.sessionBound }, log);
  const socketsPerAddress = { ...defaultSocketsPerAddress, ...options.socketsPerAddress };
  const app = createHttpApp({
    store, registry: gateway.registry, hub, clock, log, gateway, live, coverage, breaks, alarms, backups,
    photos: PhotoFiles.inDataDir(options.dataDir),
    auth: { adminTokenHash: admin.hash, sessions: store.browserSessions, clock },
    signInThrottle: new SignInThrottle(),
    webRoot: options.webRoot,
    tls,
    sessionSockets,
    metrics: { registry: metrics.registry, tokenHash: options.metricsToken === undefined ? undefined : hashToken(options.metricsToken) },
    strangerDevices: new AddressQuota(socketsPerAddress.strangerDevices),
    liveSockets: new AddressQuota(socketsPerAddress.live),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const server = createAdaptorServer({
    fetch: tls ? behindPlainHttpGate(app.fetch, () => tls.httpsPort) : app.fetch,
    websocket: { server: wss },
    serverOptions: HTTP_SERVER_LIMITS,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  if (tls) tls.httpPort = port;
  const https = tls && (await listenHttps(tls, app.fetch, wss, { port: options.tls?.httpsPort ?? 0, host: options.host, limits: HTTP_SERVER_LIMITS }));
  const host = options.host && options.host !== '0.0.0.0' ? options.host : 'localhost';
  const url = `http://${host}:${port}`;
  const httpsUrl = https && `https://${host}:${https.port}`;
  log.info({ url, httpsUrl, dataDir: options.dataDir }, 'stipple edge server listening');
  const releaseDataDir = markInUse(options.dataDir);

  return {
    port,
    url,
    generatedAdminToken: admin.generated,
    hub,
    store,
    apiRoutes: [...new Set(app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`))],
    httpsPort: https?.port,
    httpsUrl,
    clinicCa: tls && { pem: tls.material.caPem, fingerprint: tls.material.caFingerprint },
    async close() {
      clearInterval(pruneTimer);
      await backups.close();
      // What the devices sent goes to the store first, so that the services see and save it.
      gateway.close();
      heartbeat.stop();
      live.close();
      sessionSockets.close();
      metrics.close();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await https?.close();
      alarms.close();
      outlook.close();
      breaks.close();
      clearInterval(clockSaver);
      if (clockSaver) store.settings.set(CLOCK_KEY, String(clock.now()));
      store.close();
      releaseDataDir();
    },
  };
}
