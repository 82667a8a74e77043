import { Hono } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { SignInAttempt, SignInThrottle } from '../../auth/sign-in-throttle.ts';
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
 * token) gets an HttpOnly, SameSite=Strict session cookie. Wrong tries are throttled (see
 * SignInThrottle), and the refusal says when to try again, in words and in Retry-After.
 */
export function signInRoutes(auth: CallerAuth, store: Store, throttle: SignInThrottle) {
  const locked = (until: number) => {
    // Retry-After is in real seconds; an accelerated demo clock runs faster than that.
    const seconds = Math.max(1, Math.ceil((until - auth.clock.now()) / 1000 / auth.clock.scale));
    const message = `too many wrong tries: try again in ${seconds} s`;
    return new ApiError(429, 'locked', message, { secret: message }, { 'Retry-After': String(seconds) });
  };

  // One try at a time per person and address: tries sent all at once would otherwise all be checked
  // before the first failure counts, and a PIN pad's 10,000 codes go in a few minutes.
  const inFlight = new Set<string>();

  async function check(attempt: SignInAttempt, verify: () => Promise<Caller | undefined>): Promise<Caller> {
    const until = throttle.lockedUntil(attempt, auth.clock.now());
    if (until !== undefined) throw locked(until);
    const key = `${attempt.personId ?? 'admin-token'}@${attempt.address}`;
    if (inFlight.has(key)) {
      const message = 'one try at a time: wait for the answer to the last one';
      throw new ApiError(429, 'busy', message, { secret: message }, { 'Retry-After': '1' });
    }
    inFlight.add(key);
    let caller: Caller | undefined;
    try {
      caller = await verify();
    } finally {
      inFlight.delete(key);
    }
    const now = auth.clock.now();
    if (!caller) {
      throttle.fail(attempt, now);
      const lockedNow = throttle.lockedUntil(attempt, now);
      if (lockedNow !== undefined) throw locked(lockedNow);
      throw new ApiError(401, 'unauthorized', 'that is not right', { secret: 'that is not right' });
    }
    throttle.succeed(attempt, now);
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
      const address = getConnInfo(c).remote.address ?? 'unknown';
      let caller: Caller;
      if ('token' in body) {
        caller = await check({ personId: null, address }, async () => (tokenMatches(body.token, auth.adminTokenHash) ? ADMIN_TOKEN_CALLER : undefined));
      } else {
        const person = store.people.get(body.personId);
        if (!person || person.disabledAt !== null) throw new ApiError(400, 'invalid', 'pick your name from the list', { personId: 'pick your name from the list' });
        if (person.role === 'operator' && !(body.chairId && store.chairs.get(body.chairId))) {
          throw new ApiError(400, 'invalid', 'pick the chair this tablet serves', { chairId: 'pick the chair this tablet serves' });
        }
        caller = await check({ personId: person.id, address }, async () => {
          const hash = store.people.secretHash(person.id);
          if (!hash || !(await verifySecret(body.secret, hash))) return undefined;
          return { role: person.role, personId: person.id, name: person.name, chairId: person.role === 'operator' ? body.chairId! : null };
        });
      }
      const session = auth.sessions.create(caller, auth.clock.now(), BROWSER_SESSION_TTL_MS);
      // Secure over HTTPS, so the browser never sends it in the clear; plain HTTP is loopback only.
      setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, secure: c.req.url.startsWith('https:'), sameSite: 'Strict', path: '/', maxAge: BROWSER_SESSION_TTL_MS / 1000 });
      return c.json({ signedIn: true, role: caller.role, name: caller.name, chairId: caller.chairId, expiresAt: session.expiresAt });
    })
    .post('/sign-out', (c) => {
      const session = getCookie(c, SESSION_COOKIE);
      if (session) auth.sessions.revoke(session);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: c.req.url.startsWith('https:') });
      return c.json({ signedIn: false });
    })
    .get('/me', (c) => {
      const caller = identify(c, auth)?.caller;
      return c.json(
        caller ? { signedIn: true, role: caller.role, name: caller.name, chairId: caller.chairId, personId: caller.personId } : { signedIn: false },
      );
    });
}
