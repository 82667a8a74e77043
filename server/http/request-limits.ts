import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { MAX_PHOTO_BYTES } from '../followup/photos.ts';
import { ApiError } from './errors.ts';

const KiB = 1024;

/** What a request may weigh unless its route says otherwise: sign-in and most JSON need a few KiB. */
export const DEFAULT_BODY_LIMIT = 16 * KiB;

/** Routes that truly take more than the default, by "METHOD /path" as in the route rules. */
export const ROUTE_BODY_LIMITS: Readonly<Record<string, number>> = {
  // A whole treatment plan: every region with its note and each scar's outline.
  'PUT /api/plans/:id': 256 * KiB,
  'POST /api/treatments': 256 * KiB,
  // One follow-up photo and its form fields; the photo's own limit answers with a clearer message.
  'POST /api/visits/:id/photos': MAX_PHOTO_BYTES + 64 * KiB,
};

export const MAX_URL_LENGTH = 2 * KiB;

/**
 * Node's own limits for every listener: a header block over this is answered 431 before any
 * handler runs, and a client that dribbles its headers or body is cut off.
 */
export const HTTP_SERVER_LIMITS = {
  maxHeaderSize: 8 * KiB,
  headersTimeout: 10_000,
  requestTimeout: 60_000,
} as const;

/** The route this request will reach, as "METHOD /path", from a middleware that runs before it. */
export function routeKey(c: Parameters<MiddlewareHandler>[0]): string | undefined {
  const handler = matchedRoutes(c)
    .slice(c.req.routeIndex + 1)
    .find((route) => route.method !== 'ALL' && route.path.startsWith('/api/'));
  return handler && `${handler.method} ${handler.path}`;
}

function tooLarge(limit: number): never {
  // Connection: close makes Node drop the socket instead of draining the rest of a huge body.
  throw new ApiError(413, 'too_large', `the request body is over this route's limit of ${limit} bytes`, undefined, { Connection: 'close' });
}

/**
 * Refuses what no route needs before any of it is buffered: an over-long URL (414), a body over the
 * route's limit — by its Content-Length before reading, a chunked body as soon as it passes the limit.
 */
export function requestLimits(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.url.length > MAX_URL_LENGTH) throw new ApiError(414, 'uri_too_long', `the address is over ${MAX_URL_LENGTH} characters`);
    const key = routeKey(c);
    const limit = (key && ROUTE_BODY_LIMITS[key]) || DEFAULT_BODY_LIMIT;
    return bodyLimit({ maxSize: limit, onError: () => tooLarge(limit) })(c, next);
  };
}
