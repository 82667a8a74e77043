import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './errors.ts';

/** Reads and validates a JSON body; a bad one is a 400 with a message per field. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new ApiError(400, 'invalid_json', 'the request body must be JSON');
  }
  const result = schema.safeParse(json);
  if (!result.success) throw ApiError.invalid(result.error);
  return result.data;
}
