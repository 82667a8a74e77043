import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ADMIN_TOKEN_CALLER, type Caller } from '../auth/roles.ts';
import { tokenMatches } from '../auth/tokens.ts';
import type { Clock } from '../clock.ts';
import type { BrowserSessionStore } from '../store/browser-sessions.ts';
import { ApiError } from './errors.ts';

export const SESSION_COOKIE = 'stipple_session';

/** What every authenticated route can read from its context. */
export type AppEnv = {
  Variables: {
    caller: Caller;
    /** The browser session (cookie) the request rode; undefined for the admin token as a Bearer token. */
    browserSession: string | undefined;
  };
};

export interface Identity {
  caller: Caller;
  browserSession: string | undefined;
}

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
 * Who is asking: a script or integration with the admin token, or a signed-in browser (HttpOnly
 * cookie). A browser's changes must come from this server's own pages: a cookie alone is not enough.
 */
export function identify(c: Context, auth: CallerAuth): Identity | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (bearer) return tokenMatches(bearer[1]!, auth.adminTokenHash) ? { caller: ADMIN_TOKEN_CALLER, browserSession: undefined } : undefined;
  const session = getCookie(c, SESSION_COOKIE);
  const caller = session === undefined ? undefined : auth.sessions.caller(session, auth.clock.now());
  if (!caller) return undefined;
  return c.req.method === 'GET' || c.req.method === 'HEAD' || sameOrigin(c) ? { caller, browserSession: session } : undefined;
}

export function requireCaller(auth: CallerAuth): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = identify(c, auth);
    if (!identity) {
      c.header('WWW-Authenticate', 'Bearer realm="stipple"');
      throw new ApiError(401, 'unauthorized', 'sign in, or send the admin token (Authorization: Bearer <token>)');
    }
    c.set('caller', identity.caller);
    c.set('browserSession', identity.browserSession);
    await next();
  };
}
