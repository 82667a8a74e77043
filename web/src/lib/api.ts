import type { z } from 'zod';
import { apiError } from '$protocol/api';

/** An API refusal, with the per-field messages a form shows next to its fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The one way the dashboard calls the server: same origin, the HttpOnly session cookie, JSON both
 * ways (a FormData body goes as a multipart upload), the answer checked against the protocol's schema.
 */
export async function api<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
  const form = body instanceof FormData;
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined || form ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
  });
  const json: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const parsed = apiError.safeParse(json);
    if (parsed.success) {
      const { code, message, fields } = parsed.data.error;
      throw new ApiError(response.status, code, message, fields);
    }
    throw new ApiError(response.status, 'unknown', `the server answered ${response.status}`);
  }
  return schema.parse(json);
}

/** What a form shows when a call fails: a message beside each bad field, or one for the form. */
export function formError(e: unknown): { fields: Record<string, string>; message: string } {
  if (!(e instanceof ApiError)) return { fields: {}, message: 'the server could not be reached' };
  return { fields: e.fields, message: Object.keys(e.fields).length > 0 ? '' : e.message };
}
