import { Hono } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { Lockout } from '../../auth/lockout.ts';
import { ADMIN_TOKEN_CALLER, type Caller } from '../../auth/roles.ts';
import { verifySecret } from '../../auth/secrets.ts';
import { tokenMatches } from '../../auth/tokens.ts';
import type { Store } from '../../store/index.ts';
import { readBody } from '../body.ts';
import { identify, sameOrigin, SESSION_COOKIE, type CallerAuth } from '../caller-auth.ts';
import { ApiError } from '../errors.ts';

export const BROWSER_SESSION_TTL_MS = 12 * 3_600_000;

const signInBody = z.union([
  z.object({ token: z.string().min(1, 'enter the clinic\'s admin token') }),
  z.object({
    personId: z.string().min(1, 'pick your name'),
    secret: z.string().min(1, 'enter your PIN or password'),
    /** The chair this tablet serves: required for operators. */
    chairId: z.string().min(1).optional(),
  }),
]);

/**
 * Browser sign-in: a person with their PIN or password (or, to set the clinic up, the admin
 * token) gets an HttpOnly, SameSite=Strict session cookie. Wrong tries are throttled per person
 * and per address, and the refusal says when to try again.
 */
export function signInRoutes(auth: CallerAuth, store: Store, lockout: Lockout) {
  const locked = (until: number) => {
    const seconds = Math.ceil((until - auth.clock.now()) / 1000);
    const message = `too many wrong tries: try again in ${seconds} s`;
    return new ApiError(429, 'locked', message, { secret: message });
  };

  async function check(keys: string[], attempt: () => Promise<Caller | undefined>): Promise<Caller> {
    const now = auth.clock.now();
    const until = Math.max(...keys.map((k) => lockout.lockedUntil(k, now) ?? 0));
    if (until > now) throw locked(until);
    const caller = await attempt();
    if (!caller) {
      for (const key of keys) lockout.fail(key, now);
      const lockedNow = Math.max(...keys.map((k) => lockout.lockedUntil(k, now) ?? 0));
      if (lockedNow > now) throw locked(lockedNow);
      throw new ApiError(401, 'unauthorized', 'that is not right', { secret: 'that is not right' });
    }
    for (const key of keys) lockout.succeed(key);
    return caller;
  }

  return new Hono()
    // What a tablet's sign-in screen lists: staff names and chairs, nothing about patients.
    .get('/chairs', (c) => c.json(store.chairs.list().map(({ id, name }) => ({ id, name }))))
    .get('/people', (c) =>
      c.json(store.people.list().filter((p) => p.disabledAt === null).map(({ id, name, role }) => ({ id, name, role }))),
    )
    .post('/sign-in', async (c) => {
      if (c.req.header('origin') && !sameOrigin(c)) throw new ApiError(403, 'forbidden', 'sign in from this server\'s own page');
      const body = await readBody(c, signInBody);
      const address = `addr:${getConnInfo(c).remote.address ?? 'unknown'}`;
      let caller: Caller;
      if ('token' in body) {
        caller = await check([address], async () => (tokenMatches(body.token, auth.adminTokenHash) ? ADMIN_TOKEN_CALLER : undefined));
      } else {
        const person = store.people.get(body.personId);
        if (!person || person.disabledAt !== null) throw new ApiError(400, 'invalid', 'pick your name from the list', { personId: 'pick your name from the list' });
        if (person.role === 'operator' && !(body.chairId && store.chairs.get(body.chairId))) {
          throw new ApiError(400, 'invalid', 'pick the chair this tablet serves', { chairId: 'pick the chair this tablet serves' });
        }
        caller = await check([`person:${person.id}`, address], async () => {
          const hash = store.people.secretHash(person.id);
          if (!hash || !(await verifySecret(body.secret, hash))) return undefined;
          return { role: person.role, personId: person.id, name: person.name, chairId: person.role === 'operator' ? body.chairId! : null };
        });
      }
      const session = auth.sessions.create(caller, auth.clock.now(), BROWSER_SESSION_TTL_MS);
      setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: BROWSER_SESSION_TTL_MS / 1000 });
      return c.json({ signedIn: true, role: caller.role, name: caller.name, chairId: caller.chairId, expiresAt: session.expiresAt });
    })
    .post('/sign-out', (c) => {
      const session = getCookie(c, SESSION_COOKIE);
      if (session) auth.sessions.revoke(session);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ signedIn: false });
    })
    .get('/me', (c) => {
      const caller = identify(c, auth);
      return c.json(caller ? { signedIn: true, role: caller.role, name: caller.name, chairId: caller.chairId } : { signedIn: false });
    });
}
