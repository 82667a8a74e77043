import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { tokenMatches } from '../../auth/tokens.ts';
import { readBody } from '../body.ts';
import { isAuthorised, sameOrigin, SESSION_COOKIE, type CallerAuth } from '../caller-auth.ts';
import { ApiError } from '../errors.ts';

export const BROWSER_SESSION_TTL_MS = 12 * 3_600_000;

const signInBody = z.object({ token: z.string().min(1, 'enter the clinic\'s admin token') });

/**
 * Browser sign-in: the token is checked once and exchanged for an HttpOnly, SameSite=Strict
 * session cookie; the browser never keeps the token itself.
 */
export function signInRoutes(auth: CallerAuth) {
  return new Hono()
    .post('/sign-in', async (c) => {
      if (c.req.header('origin') && !sameOrigin(c)) throw new ApiError(403, 'forbidden', 'sign in from this server\'s own page');
      const { token } = await readBody(c, signInBody);
      if (!tokenMatches(token, auth.adminTokenHash)) {
        throw new ApiError(401, 'unauthorized', 'that token is not right', { token: 'that token is not right' });
      }
      const session = auth.sessions.create(auth.clock.now(), BROWSER_SESSION_TTL_MS);
      setCookie(c, SESSION_COOKIE, session.id, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        maxAge: BROWSER_SESSION_TTL_MS / 1000,
      });
      return c.json({ signedIn: true, expiresAt: session.expiresAt });
    })
    .post('/sign-out', (c) => {
      const session = getCookie(c, SESSION_COOKIE);
      if (session) auth.sessions.revoke(session);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ signedIn: false });
    })
    .get('/me', (c) => c.json({ signedIn: isAuthorised(c, auth) }));
}
