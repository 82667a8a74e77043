import { upgradeWebSocket, type HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { WebSocket, type RawData } from 'ws';
import type { DeviceGateway } from '../ingest/gateway.ts';
import type { LiveChannel } from '../live/live-channel.ts';
import type { Logger } from '../log.ts';
import { LIVE_PATH, LiveCloseCode } from '../protocol/live.ts';
import { CLINIC_CA_PATH } from '../protocol/tls.ts';
import { CloseCode, DEVICE_PATH } from '../protocol/v1.ts';
import type { SignInThrottle } from '../auth/sign-in-throttle.ts';
import type { Registry } from 'prom-client';
import { tokenMatches } from '../auth/tokens.ts';
import type { AddressQuota } from '../sockets/address-quota.ts';
import type { SessionBoundSockets } from '../sockets/session-bound.ts';
import { identify, requireCaller, sameOrigin, type AppEnv, type CallerAuth } from './caller-auth.ts';
import type { ApiDeps } from './deps.ts';
import { errorBody, handleError, notFound } from './errors.ts';
import { requestLimits } from './request-limits.ts';
import { enforceRouteRules } from './route-rules.ts';
import { alarmRoutes } from './routes/alarms.ts';
import { auditRoutes } from './routes/audit.ts';
import { backupRoutes } from './routes/backups.ts';
import { breakPolicyRoutes, chairBreakRoutes, operatorRoutes } from './routes/breaks.ts';
import { chairRoutes } from './routes/chairs.ts';
import { deviceRoutes } from './routes/devices.ts';
import { followupRoutes } from './routes/followups.ts';
import { guidanceRoutes } from './routes/guidance.ts';
import { peopleRoutes } from './routes/people.ts';
import { planProposalRoutes } from './routes/plan-proposals.ts';
import { planRoutes, treatmentRoutes } from './routes/plans.ts';
import { recordRoutes } from './routes/records.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { clinicRoutes, setupRoutes } from './routes/setup.ts';
import { clinicCaDownload, tlsRoutes } from './routes/tls.ts';
import { webApp } from './web-app.ts';

export interface HttpAppOptions extends ApiDeps {
  gateway: DeviceGateway;
  live: LiveChannel;
  auth: CallerAuth;
  signInThrottle: SignInThrottle;
  log: Logger;
  /** Browser sockets close when the session they were opened with ends. */
  sessionSockets: SessionBoundSockets;
  /** Device sockets per address that have not yet said a good hello. */
  strangerDevices: AddressQuota;
  /** Live sockets per address. */
  liveSockets: AddressQuota;
  /** `GET /metrics` for the clinic's monitoring: the admin token, or a token for metrics alone. */
  metrics: { registry: Registry; tokenHash: Buffer | undefined };
  /** The built dashboard (adapter-static output); absent in API-only tests. */
  webRoot?: string;
}

interface SocketHandlers {
  /** A text frame as text; a binary frame as its bytes (neither protocol has any). */
  receive(data: string | Uint8Array): void;
  closed(): void;
}

type SocketEnv = { Bindings: HttpBindings; Variables: AppEnv['Variables'] & { givePlaceBack: () => void } };

/**
 * Takes a place for the caller's address before the upgrade, refusing with 429 when it has none
 * left; the place comes back when the connection ends (however it ends), or earlier by `givePlaceBack`.
 */
function socketPlace(quota: AddressQuota, what: string): MiddlewareHandler<SocketEnv> {
  return async (c, next) => {
    // A plain request to a socket path opens no socket: it must not hold a place on its keep-alive connection.
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return c.json(errorBody('upgrade_required', `${what} sockets are WebSockets`), 426);
    const address = getConnInfo(c).remote.address ?? 'unknown';
    const givePlaceBack = quota.take(address);
    if (!givePlaceBack) return c.json(errorBody('too_many', `too many ${what} sockets from ${address}: close some, then try again`), 429, { 'Retry-After': '10' });
    c.env.incoming.socket.once('close', givePlaceBack);
    c.set('givePlaceBack', givePlaceBack);
    await next();
  };
}

/** Wires a hono WebSocket route to a handler that wants the raw ws socket. */
function socketRoute(log: Logger, open: (socket: WebSocket, c: Context<SocketEnv>) => SocketHandlers) {
  return upgradeWebSocket(
    (c) => {
      let handlers: SocketHandlers | undefined;
      return {
        onOpen(_event, ws) {
          // Our own ws server made this socket; heartbeat and backpressure need it as such.
          if (!(ws.raw instanceof WebSocket)) throw new Error('socket is not a ws WebSocket');
          const socket = ws.raw;
          const opened = open(socket, c);
          handlers = opened;
          // Frames come straight from ws: hono's onMessage would copy each one and wrap it in a
          // MessageEvent first (3.8 % of the server's CPU at 16 chairs, docs/performance.md).
          socket.on('message', (data, isBinary) => {
            try {
              const bytes = bytesOf(data);
              opened.receive(isBinary ? bytes : bytes.toString());
            } catch (err) {
              // A frame the server failed on (a write the disk refused, a bug) costs its socket, not
              // the process: the other side reconnects and resends, as after any server error.
              log.error({ err }, 'socket handler failed; closing the socket');
              socket.close(CloseCode.serverError, 'the server failed on your message: reconnect and resend');
            }
          });
        },
        onClose: () => handlers?.closed(),
      };
    },
    { onError: (err) => log.error({ err }, 'socket handler failed') },
  );
}

/** ws hands a frame over as one buffer unless told otherwise; the other shapes are covered all the same. */
function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

export function createHttpApp(options: HttpAppOptions): Hono<AppEnv> {
  const { gateway, live, auth, log } = options;
  const api = new Hono<AppEnv>()
    .get('/health', (c) => c.json({ ok: true }))
    .route('/auth', signInRoutes(auth, options.store, options.signInThrottle))
    .use('*', requireCaller(auth))
    .use('*', enforceRouteRules())
    .route('/chairs', chairRoutes(options))
    .route('/chairs', chairBreakRoutes(options))
    .route('/devices', deviceRoutes(options))
    .route('/sessions', sessionRoutes(options))
    .route('/sessions', recordRoutes(options))
    .route('/people', peopleRoutes(options))
    .route('/audit', auditRoutes(options))
    .route('/treatments', treatmentRoutes(options))
    .route('/plans', planRoutes(options))
    .route('/plans', planProposalRoutes(options))
    .route('/', followupRoutes(options))
    .route('/guidance', guidanceRoutes(options))
    .route('/breaks', breakPolicyRoutes(options))
    .route('/operators', operatorRoutes(options))
    .route('/alarms', alarmRoutes(options))
    .route('/tls', tlsRoutes(options.tls))
    .route('/backups', backupRoutes(options))
    .route('/clinic', clinicRoutes(options))
    .route('/setup', setupRoutes(options))
    .all('*', notFound);

  const sockets = new Hono<SocketEnv>()
    .get(
      DEVICE_PATH,
      socketPlace(options.strangerDevices, 'unauthenticated device'),
      // A device that said a good hello no longer counts against its address: a gateway may serve many.
      socketRoute(log, (socket, c) => gateway.accept(socket, getConnInfo(c).remote.address ?? null, c.get('givePlaceBack'))),
    )
    .get(
      LIVE_PATH,
      async (c, next) => {
        // Same origin only: a page elsewhere must not ride a signed-in browser's cookie into the feed.
        if (!sameOrigin(c)) return c.json(errorBody('forbidden', 'the live feed is for this server\'s own pages'), 403);
        const identity = identify(c, auth);
        if (!identity) return c.json(errorBody('unauthorized', 'sign in first'), 401);
        c.set('caller', identity.caller);
        c.set('browserSession', identity.browserSession);
        await next();
      },
      socketPlace(options.liveSockets, 'live'),
      socketRoute(log, (socket, c) => {
        const handlers = live.accept(socket, c.get('caller'));
        const session = c.get('browserSession');
        const unbind = session === undefined ? () => {} : options.sessionSockets.bind(session, () => socket.close(LiveCloseCode.sessionEnded, 'your sign-in has ended'));
        return {
          receive: handlers.receive,
          closed() {
            unbind();
            handlers.closed();
          },
        };
      }),
    );

  const app = new Hono<AppEnv>();
  app.use('*', requestLimits());
  app.route('/api', api);
  app.get(CLINIC_CA_PATH, clinicCaDownload(options.tls));
  app.route('/', sockets);
  app.get('/metrics', async (c) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const { registry, tokenHash } = options.metrics;
    if (!bearer || !(tokenMatches(bearer, auth.adminTokenHash) || (tokenHash && tokenMatches(bearer, tokenHash)))) {
      c.header('WWW-Authenticate', 'Bearer realm="stipple-metrics"');
      return c.json(errorBody('unauthorized', 'send the metrics token or the admin token (Authorization: Bearer <token>)'), 401);
    }
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  });
  if (options.webRoot) app.route('/', webApp(options.webRoot));
  app.notFound(notFound);
  app.onError(handleError(log));
  return app;
}
