import { upgradeWebSocket } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { WebSocket } from 'ws';
import type { DeviceGateway } from '../ingest/gateway.ts';
import type { LiveChannel } from '../live/live-channel.ts';
import type { Logger } from '../log.ts';
import { LIVE_PATH } from '../protocol/live.ts';
import { DEVICE_PATH } from '../protocol/v1.ts';
import type { Lockout } from '../auth/lockout.ts';
import { identify, requireCaller, sameOrigin, type AppEnv, type CallerAuth } from './caller-auth.ts';
import type { ApiDeps } from './deps.ts';
import { errorBody, handleError, notFound } from './errors.ts';
import { enforceRouteRules } from './route-rules.ts';
import { alarmRoutes } from './routes/alarms.ts';
import { auditRoutes } from './routes/audit.ts';
import { breakPolicyRoutes, chairBreakRoutes, operatorRoutes } from './routes/breaks.ts';
import { chairRoutes } from './routes/chairs.ts';
import { deviceRoutes } from './routes/devices.ts';
import { guidanceRoutes } from './routes/guidance.ts';
import { peopleRoutes } from './routes/people.ts';
import { planRoutes, treatmentRoutes } from './routes/plans.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { webApp } from './web-app.ts';

export interface HttpAppOptions extends ApiDeps {
  gateway: DeviceGateway;
  live: LiveChannel;
  auth: CallerAuth;
  lockout: Lockout;
  log: Logger;
  /** The built dashboard (adapter-static output); absent in API-only tests. */
  webRoot?: string;
}

interface SocketHandlers {
  receive(data: string | ArrayBuffer): void;
  closed(): void;
}

/** Wires a hono WebSocket route to a handler that wants the raw ws socket. */
function socketRoute(log: Logger, open: (socket: WebSocket, c: Context<AppEnv>) => SocketHandlers) {
  return upgradeWebSocket(
    (c) => {
      let handlers: SocketHandlers | undefined;
      return {
        onOpen(_event, ws) {
          // Our own ws server made this socket; heartbeat and backpressure need it as such.
          if (!(ws.raw instanceof WebSocket)) throw new Error('socket is not a ws WebSocket');
          handlers = open(ws.raw, c);
        },
        onMessage: (event) => handlers?.receive(event.data as string | ArrayBuffer),
        onClose: () => handlers?.closed(),
      };
    },
    { onError: (err) => log.error({ err }, 'socket handler failed') },
  );
}

export function createHttpApp(options: HttpAppOptions): Hono<AppEnv> {
  const { gateway, live, auth, log } = options;
  const api = new Hono<AppEnv>()
    .get('/health', (c) => c.json({ ok: true }))
    .route('/auth', signInRoutes(auth, options.store, options.lockout))
    .use('*', requireCaller(auth))
    .use('*', enforceRouteRules())
    .route('/chairs', chairRoutes(options))
    .route('/chairs', chairBreakRoutes(options))
    .route('/devices', deviceRoutes(options))
    .route('/sessions', sessionRoutes(options))
    .route('/people', peopleRoutes(options))
    .route('/audit', auditRoutes(options))
    .route('/treatments', treatmentRoutes(options))
    .route('/plans', planRoutes(options))
    .route('/guidance', guidanceRoutes(options))
    .route('/breaks', breakPolicyRoutes(options))
    .route('/operators', operatorRoutes(options))
    .route('/alarms', alarmRoutes(options))
    .all('*', notFound);

  const app = new Hono<AppEnv>();
  app.route('/api', api);
  app.get(DEVICE_PATH, socketRoute(log, (socket, c) => gateway.accept(socket, getConnInfo(c).remote.address ?? null)));
  app.get(
    LIVE_PATH,
    async (c, next) => {
      // Same origin only: a page elsewhere must not ride a signed-in browser's cookie into the feed.
      if (!sameOrigin(c)) return c.json(errorBody('forbidden', 'the live feed is for this server\'s own pages'), 403);
      const caller = identify(c, auth);
      if (!caller) return c.json(errorBody('unauthorized', 'sign in first'), 401);
      c.set('caller', caller);
      await next();
    },
    socketRoute(log, (socket, c) => live.accept(socket, c.get('caller'))),
  );
  if (options.webRoot) app.route('/', webApp(options.webRoot));
  app.notFound(notFound);
  app.onError(handleError(log));
  return app;
}
