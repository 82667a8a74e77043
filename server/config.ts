import { z } from 'zod';
import { StartupError } from './startup-error.ts';

const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  STIPPLE_DATA_DIR: z.string().min(1).default('./data'),
  STIPPLE_ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (make one with: openssl rand -base64 32), or leave it unset to have one made')
    .optional(),
  STIPPLE_TELEMETRY_DAYS: z.coerce.number().int().min(1).default(30),
  /** Runs the server's clock this many times faster than real time (demos): breaks and limits included. */
  STIPPLE_TIME_SCALE: z.coerce.number().min(1).max(3600).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof env>;

/** Reads the server's settings from the environment; a bad value stops the start with one clear line. */
export function readConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const result = env.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
    throw new StartupError(`bad setting: ${problems}`);
  }
  return result.data;
}
