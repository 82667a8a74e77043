import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Caller } from '../../auth/roles.ts';
import { CSV_KINDS, noteBody, type CsvKind } from '../../protocol/report.ts';
import { csvExport, exportBundle } from '../../record/exports.ts';
import { cycleSeriesOf, replayDotsOf, sessionReport } from '../../record/session-report.ts';
import { SessionWorkCache } from '../../record/work-cache.ts';
import type { Session } from '../../store/sessions.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

const listFilter = z.object({
  patientRef: z.string().trim().max(64).optional(),
  operatorId: z.string().trim().max(64).optional(),
  chairId: z.string().trim().max(64).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
});

/**
 * The session record: the report, its cycle-rate chart and replay, the supervisor's note and
 * sign-off, and the exports. Staff read every record; an operator reads the records of sessions
 * they operated, on the chair's own tablet.
 */
export function recordRoutes(deps: ApiDeps) {
  const { store, clock } = deps;
  const work = new SessionWorkCache(deps.hub);
  const report = (session: Session) => sessionReport(store, session, clock.now(), work.get(store, session));

  function mayRead(caller: Caller, session: Session): boolean {
    if (caller.role !== 'operator') return true;
    return caller.chairId === session.chairId && caller.personId !== null && store.sessions.operatedBy(session.key, caller.personId);
  }

  function readable(c: Context<AppEnv>): Session {
    const session = store.sessions.get(c.req.param('id') ?? '');
    if (!session) throw ApiError.notFound(`session ${c.req.param('id')}`);
    if (!mayRead(c.get('caller'), session)) throw new ApiError(403, 'forbidden', 'this record belongs to another chair\'s operator');
    return session;
  }

  function unsigned(session: Session): void {
    if (store.records.review(session.key).signedOffAt !== null) {
      throw new ApiError(409, 'signed_off', 'the report is signed off and read-only');
    }
  }

  const attachment = (name: string) => ({ 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' });

  return new Hono<AppEnv>()
    .get('/', (c) => {
      const parsed = listFilter.safeParse(c.req.query());
      if (!parsed.success) throw ApiError.invalid(parsed.error);
      return c.json(store.records.list(parsed.data));
    })
    .get('/:id/report', (c) => c.json(report(readable(c))))
    .get('/:id/cycle-rate', (c) => c.json(cycleSeriesOf(store, readable(c), clock.now())))
    .get('/:id/replay', (c) => c.json(replayDotsOf(store, readable(c))))
    .put('/:id/review/note', async (c) => {
      const session = readable(c);
      const { note } = await readBody(c, noteBody);
      unsigned(session);
      store.records.saveNote(session.key, note, clock.now());
      recordAudit(deps, c, 'session.note', session.id, { length: note.length });
      return c.json(store.records.review(session.key));
    })
    .post('/:id/review/sign-off', (c) => {
      const session = readable(c);
      if (session.endedAt === null) throw new ApiError(409, 'conflict', 'end the session before signing its report off');
      unsigned(session);
      store.records.signOff(session.key, c.get('caller').name, clock.now());
      recordAudit(deps, c, 'session.sign-off', session.id, {});
      return c.json(store.records.review(session.key));
    })
    .get('/:id/export.json', (c) => {
      const session = readable(c);
      recordAudit(deps, c, 'session.export', session.id, { kind: 'json' });
      const bundle = exportBundle(report(session), clock.now());
      return c.json(bundle, 200, attachment(`stipple-session-${session.id}.json`));
    })
    .get('/:id/export/:file{[a-z]+\\.csv}', (c) => {
      const session = readable(c);
      const kind = c.req.param('file').replace(/\.csv$/, '');
      if (!(CSV_KINDS as readonly string[]).includes(kind)) throw ApiError.notFound(`an export of ${kind}: there are ${CSV_KINDS.join(', ')}`);
      recordAudit(deps, c, 'session.export', session.id, { kind });
      const now = clock.now();
      const body = csvExport(store, session, kind as CsvKind, () => report(session), now);
      return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8', ...attachment(`stipple-session-${session.id}-${kind}.csv`) });
    });
}
