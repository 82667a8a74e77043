import type { MiddlewareHandler } from 'hono';
import type { Role } from '../auth/roles.ts';
import type { AppEnv } from './caller-auth.ts';
import { ApiError } from './errors.ts';
import { routeKey } from './request-limits.ts';

const everyone: readonly Role[] = ['operator', 'supervisor', 'admin'];
const staff: readonly Role[] = ['supervisor', 'admin'];
const admin: readonly Role[] = ['admin'];

/** Routes anyone may call, signed in or not. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/health',
  'GET /api/auth/me',
  'GET /api/auth/chairs',
  'GET /api/auth/people',
  'POST /api/auth/sign-in',
  'POST /api/auth/sign-out',
]);

/**
 * Which roles may call each API route. A route missing here is refused to everyone (and a test
 * fails), so a new route cannot ship without a rule. Operators are further held to their own
 * chair by the handlers.
 */
export const ROUTE_RULES: Readonly<Record<string, readonly Role[]>> = {
  'GET /api/chairs': everyone,
  'POST /api/chairs': admin,
  'PUT /api/chairs/:id/region': everyone,
  'GET /api/devices': staff,
  'POST /api/devices': admin,
  'GET /api/devices/:id/incidents': staff,
  'POST /api/devices/:id/revoke': admin,
  'POST /api/devices/:id/rotate': admin,
  'POST /api/sessions': everyone,
  'GET /api/sessions/:id': everyone,
  'POST /api/sessions/:id/end': everyone,
  'POST /api/sessions/:id/handover': everyone,
  'GET /api/sessions': staff,
  'GET /api/sessions/:id/report': everyone,
  'GET /api/sessions/:id/cycle-rate': everyone,
  'GET /api/sessions/:id/replay': everyone,
  'PUT /api/sessions/:id/review/note': staff,
  'POST /api/sessions/:id/review/sign-off': staff,
  'GET /api/sessions/:id/export.json': everyone,
  'GET /api/sessions/:id/export/:file{[a-z]+\\.csv}': everyone,
  'GET /api/people': admin,
  'POST /api/people': admin,
  'POST /api/people/:id/disable': admin,
  'GET /api/audit': staff,
  'GET /api/treatments': everyone,
  'POST /api/treatments': staff,
  'GET /api/treatments/:id': everyone,
  'GET /api/treatments/:id/record': staff,
  'POST /api/treatments/:id/status': staff,
  'GET /api/plans/:id': everyone,
  'PUT /api/plans/:id': staff,
  'GET /api/plans/:id/proposals': staff,
  'GET /api/treatments/:id/visits': everyone,
  'POST /api/treatments/:id/visits': everyone,
  'POST /api/treatments/:id/laser-clearance': staff,
  'POST /api/visits/:id/photos': everyone,
  'GET /api/photos/:id': everyone,
  'GET /api/photos/:id/thumb': everyone,
  'GET /api/guidance/settings': staff,
  'PUT /api/guidance/settings': staff,
  'GET /api/breaks/policy': staff,
  'PUT /api/breaks/policy': staff,
  'POST /api/chairs/:id/break/postpone': everyone,
  'POST /api/chairs/:id/break/override': staff,
  'GET /api/operators/:id/breaks': staff,
  'GET /api/alarms': staff,
  'GET /api/alarms/settings': staff,
  'PUT /api/alarms/settings': staff,
  'GET /api/alarms/:id/events': staff,
  'POST /api/alarms/:id/ack': everyone,
  'POST /api/alarms/:id/silence': everyone,
  'GET /api/tls': staff,
  'GET /api/backups': staff,
  'POST /api/backups': admin,
  'GET /api/clinic': everyone,
  'PUT /api/clinic': admin,
  'GET /api/setup/checklist': admin,
  'POST /api/setup/dismiss': admin,
};

export function enforceRouteRules(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = routeKey(c);
    if (key) {
      const role = c.get('caller').role;
      if (!ROUTE_RULES[key]?.includes(role)) {
        throw new ApiError(403, 'forbidden', `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} may not do this`);
      }
    }
    await next();
  };
}
