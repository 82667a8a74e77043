import { upgradeWebSocket } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { WebSocket } from 'ws';
import type { DeviceGateway } from '../ingest/gateway.ts';
import type { Logger } from '../log.ts';
import { DEVICE_PATH } from '../protocol/v1.ts';
import { requireAdminToken } from './admin-auth.ts';
import type { ApiDeps } from './deps.ts';
import { handleError, notFound } from './errors.ts';
import { chairRoutes } from './routes/chairs.ts';
import { deviceRoutes } from './routes/devices.ts';
import { sessionRoutes } from './routes/sessions.ts';

export interface HttpAppOptions extends ApiDeps {
  gateway: DeviceGateway;
  adminTokenHash: Buffer;
  log: Logger;
}

export function createHttpApp(options: HttpAppOptions): Hono {
  const { gateway, log } = options;
  const api = new Hono()
    .get('/health', (c) => c.json({ ok: true }))
    .use('*', requireAdminToken(options.adminTokenHash))
    .route('/chairs', chairRoutes(options))
    .route('/devices', deviceRoutes(options))
    .route('/sessions', sessionRoutes(options));

  const app = new Hono();
  app.route('/api', api);
  app.get(
    DEVICE_PATH,
    upgradeWebSocket(
      (c) => {
        const address = getConnInfo(c).remote.address ?? null;
        let link: ReturnType<DeviceGateway['accept']> | undefined;
        return {
          onOpen(_event, ws) {
            // Our own ws server made this socket; the ping/terminate of the heartbeat need it as such.
            if (!(ws.raw instanceof WebSocket)) throw new Error('device socket is not a ws WebSocket');
            link = gateway.accept(ws.raw, address);
          },
          onMessage(event) {
            link?.receive(event.data as string | ArrayBuffer);
          },
          onClose() {
            link?.closed();
          },
        };
      },
      { onError: (err) => log.error({ err }, 'device socket handler failed') },
    ),
  );
  app.notFound(notFound);
  app.onError(handleError(log));
  return app;
}
