import { Hono } from 'hono';
import { z } from 'zod';
import type { AuditEntry } from '../../store/audit.ts';
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

function csvCell(value: unknown): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
  // Quote always; double quotes inside; a leading = + - @ is defused so a spreadsheet never runs it.
  return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`;
}

export function toCsv(entries: AuditEntry[]): string {
  const header = 'time,actor,action,target,detail';
  const rows = entries.map((e) => [new Date(e.at).toISOString(), e.actor, e.action, e.target, e.detail].map(csvCell).join(','));
  return `${[header, ...rows].join('\r\n')}\r\n`;
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
