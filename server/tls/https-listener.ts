import { createAdaptorServer } from '@hono/node-server';
import type { ServerOptions as HttpServerOptions } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer } from 'ws';
import { StartupError } from '../startup-error.ts';
import type { ClinicTls, TlsMaterial } from './clinic-tls.ts';

type Fetch = Parameters<typeof createAdaptorServer>[0]['fetch'];

export interface HttpsListener {
  port: number;
  close(): Promise<void>;
}

export interface HttpsListenOptions {
  port: number;
  host: string | undefined;
  /** The same Node limits as the plain listener's. */
  limits: HttpServerOptions;
}

/** A client that opens a connection and never finishes the handshake is cut off, as one that dribbles headers is. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

const secureContext = (material: TlsMaterial) => ({ key: material.key, cert: material.cert });

/**
 * The HTTPS listener: the app and the WebSocket server the plain listener uses (routes, frame
 * limits, heartbeat: one of each), with the clinic's certificate, which it takes in place when
 * the certificate is renewed.
 */
export async function listenHttps(tls: ClinicTls, fetch: Fetch, wss: WebSocketServer, options: HttpsListenOptions): Promise<HttpsListener> {
  // createAdaptorServer types its result as http or http2; with https' createServer it is an https.Server.
  const server = createAdaptorServer({
    fetch,
    websocket: { server: wss },
    createServer: createHttpsServer,
    serverOptions: { ...options.limits, ...secureContext(tls.material), handshakeTimeout: HANDSHAKE_TIMEOUT_MS },
  }) as HttpsServer;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(`HTTPS port ${options.port} is in use by another program: stop it, or set STIPPLE_HTTPS_PORT to another port`)
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  tls.httpsPort = (server.address() as AddressInfo).port;
  const stopRenewal = tls.keepFresh((material) => server.setSecureContext(secureContext(material)));
  return {
    port: tls.httpsPort,
    async close() {
      stopRenewal();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
