import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** The one error type route handlers throw; `onError` turns it into `{"error": {...}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Per-field messages, for a form to show next to each field. */
    readonly fields?: Record<string, string>,
    /** Response headers the refusal needs (Retry-After, Connection). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  static notFound(what: string): ApiError {
    return new ApiError(404, 'not_found', `${what} does not exist`);
  }

  static otherChair(): ApiError {
    return new ApiError(403, 'forbidden', 'this tablet is signed in for another chair');
  }

  static invalid(error: z.ZodError): ApiError {
    const fields: Record<string, string> = {};
    for (const issue of error.issues) {
      const key = issue.path.join('.') || '_';
      fields[key] ??= issue.message;
    }
    const summary = Object.entries(fields).map(([field, message]) => `${field}: ${message}`).join('; ');
    return new ApiError(400, 'invalid', summary, fields);
  }
}

export function errorBody(code: string, message: string, fields?: Record<string, string>) {
  return { error: { code, message, ...(fields && { fields }) } };
}

export function handleError(log: { error(obj: object, msg: string): void }) {
  return (err: Error, c: Context) => {
    if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.fields), err.status, err.headers);
    if (err instanceof HTTPException) return c.json(errorBody('http_error', err.message || 'request refused'), err.status);
    // Never a raw exception text to a client: it may hold paths or SQL.
    log.error({ err, path: c.req.path }, 'request failed');
    return c.json(errorBody('internal', 'the server could not complete this request'), 500);
  };
}

export function notFound(c: Context) {
  return c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404);
}
