import type { MiddlewareHandler } from 'hono';
import { tokenMatches } from '../auth/tokens.ts';
import { ApiError } from './errors.ts';

/** `Authorization: Bearer <admin token>`, checked against the stored hash. */
export function requireAdminToken(adminTokenHash: Buffer): MiddlewareHandler {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match || !tokenMatches(match[1]!, adminTokenHash)) {
      c.header('WWW-Authenticate', 'Bearer realm="stipple"');
      throw new ApiError(401, 'unauthorized', 'a valid admin token is required (Authorization: Bearer <token>)');
    }
    await next();
  };
}
