import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { tokenMatches } from '../auth/tokens.ts';
import type { Clock } from '../clock.ts';
import type { BrowserSessionStore } from '../store/browser-sessions.ts';
import { ApiError } from './errors.ts';

export const SESSION_COOKIE = 'stipple_session';

export interface CallerAuth {
  adminTokenHash: Buffer;
  sessions: BrowserSessionStore;
  clock: Clock;
}

/** The request comes from a page of this server (the browser says so in Origin). */
export function sameOrigin(c: Context): boolean {
  const origin = c.req.header('origin');
  const host = c.req.header('host');
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * A signed-in browser (HttpOnly cookie), or a script or integration with the admin token. A
 * browser's changes must come from this server's own pages: a cookie alone is not enough.
 */
export function isAuthorised(c: Context, auth: CallerAuth): boolean {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (bearer) return tokenMatches(bearer[1]!, auth.adminTokenHash);
  const session = getCookie(c, SESSION_COOKIE);
  if (session === undefined || !auth.sessions.isValid(session, auth.clock.now())) return false;
  return c.req.method === 'GET' || c.req.method === 'HEAD' || sameOrigin(c);
}

export function requireCaller(auth: CallerAuth): MiddlewareHandler {
  return async (c, next) => {
    if (!isAuthorised(c, auth)) {
      c.header('WWW-Authenticate', 'Bearer realm="stipple"');
      throw new ApiError(401, 'unauthorized', 'sign in, or send the admin token (Authorization: Bearer <token>)');
    }
    await next();
  };
}
