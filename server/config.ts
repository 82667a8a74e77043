import { z } from 'zod';
import { TIME_OF_DAY } from './backup/schedule.ts';
import { StartupError } from './startup-error.ts';

const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  STIPPLE_DATA_DIR: z.string().min(1).default('./data'),
  STIPPLE_ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (make one with: openssl rand -base64 32), or leave it unset to have one made')
    .optional(),
  /** A token that reads `GET /metrics` and nothing else, for the clinic's monitoring. */
  STIPPLE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (make one with: openssl rand -base64 32)').optional(),
  STIPPLE_TELEMETRY_DAYS: z.coerce.number().int().min(1).default(30),
  /** Runs the server's clock this many times faster than real time (demos): breaks and limits included. */
  STIPPLE_TIME_SCALE: z.coerce.number().min(1).max(3600).default(1),
  /** Where backups go; `<data dir>/backups` when unset. Another disk is better: it must exist. */
  STIPPLE_BACKUP_DIR: z.string().min(1).optional(),
  /** Local time of the nightly backup, or "off". */
  STIPPLE_BACKUP_AT: z.union([z.literal('off'), z.string().regex(TIME_OF_DAY, 'must be a local time like 02:30, or off')]).default('02:30'),
  /** The "data disk nearly full" alarm rises below either limit. */
  STIPPLE_DISK_MIN_FREE_MB: z.coerce.number().int().min(0).default(1024),
  STIPPLE_DISK_MIN_FREE_PERCENT: z.coerce.number().min(0).max(100).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** HTTPS for the clinic network; off only behind the clinic's own TLS proxy. */
  STIPPLE_TLS: z.enum(['on', 'off']).default('on'),
  STIPPLE_HTTPS_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  /** The clinic's own certificate chain and key (PEM files), instead of the clinic CA Stipple makes. */
  STIPPLE_TLS_CERT: z.string().min(1).optional(),
  STIPPLE_TLS_KEY: z.string().min(1).optional(),
  /** More names or addresses for the server certificate, comma-separated (a DNS name the clinic gave the box). */
  STIPPLE_TLS_NAMES: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((n) => n.trim()).filter((n) => n !== '')),
}).refine((e) => (e.STIPPLE_TLS_CERT === undefined) === (e.STIPPLE_TLS_KEY === undefined), {
  path: ['STIPPLE_TLS_CERT'],
  message: 'and STIPPLE_TLS_KEY go together: set both, or neither to use the clinic CA',
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
