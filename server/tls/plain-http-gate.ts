import type { createAdaptorServer } from '@hono/node-server';
import { errorBody } from '../http/errors.ts';
import { CLINIC_CA_PATH } from '../protocol/tls.ts';
import { isLoopback } from './loopback.ts';

/**
 * What the plain-HTTP listener answers itself while HTTPS is on, or undefined to serve the
 * request as usual. The box itself (loopback) is served as before: the demo, local tools and
 * protocol v1's ws:// for a gateway on the box. Anyone else is sent to HTTPS, except for the
 * clinic CA, which a tablet must fetch before it trusts HTTPS; a WebSocket is refused outright,
 * since a socket cannot follow a redirect and must not carry a token in the clear.
 */
export function plainHttpAnswer(request: Request, remoteAddress: string | undefined, httpsPort: number): Response | undefined {
  if (isLoopback(remoteAddress)) return undefined;
  const url = new URL(request.url);
  const upgrade = request.headers.get('upgrade')?.toLowerCase() === 'websocket';
  if (upgrade) {
    url.protocol = 'wss:';
    url.port = String(httpsPort);
    return Response.json(errorBody('forbidden', `plain ws:// is for the box itself: connect to ${url.href}`), { status: 403 });
  }
  if (url.pathname === CLINIC_CA_PATH) return undefined;
  url.protocol = 'https:';
  url.port = String(httpsPort);
  // 308 keeps the method and body: a POST sent to http:// is repeated to https:// as a POST.
  return new Response(null, { status: 308, headers: { location: url.href } });
}

type Fetch = Parameters<typeof createAdaptorServer>[0]['fetch'];

/** The plain-HTTP listener's fetch: the gate above, then the app every listener shares. */
export function behindPlainHttpGate(fetch: Fetch, httpsPort: () => number): Fetch {
  return (request, env) => plainHttpAnswer(request, env.incoming.socket.remoteAddress, httpsPort()) ?? fetch(request, env);
}
