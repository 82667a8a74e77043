import { Hono } from 'hono';
import { z } from 'zod';
import type { AuditEntry } from '../../store/audit.ts';
import { csvRow } from '../csv.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

const filters = z.object({
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export function toCsv(entries: AuditEntry[]): string {
  const header = 'time,actor,action,target,detail\r\n';
  return header + entries.map((e) => csvRow([new Date(e.at).toISOString(), e.actor, e.action, e.target, e.detail])).join('');
}

export function auditRoutes({ store }: ApiDeps) {
  return new Hono<AppEnv>().get('/', (c) => {
    const parsed = filters.safeParse(c.req.query());
    if (!parsed.success) throw ApiError.invalid(parsed.error);
    const { format, ...filter } = parsed.data;
    const entries = store.audit.query(filter);
    if (format === 'json') return c.json(entries);
    c.header('content-disposition', 'attachment; filename="stipple-audit.csv"');
    return c.body(toCsv(entries), 200, { 'content-type': 'text/csv; charset=utf-8' });
  });
}
