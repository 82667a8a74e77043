import { Hono } from 'hono';
import { mayUseChair } from '../../auth/roles.ts';
import { newSessionBody, type SessionView } from '../../protocol/api.ts';
import { InhibitReason } from '../../protocol/v1.ts';
import { OpenSessionExists, type Session } from '../../store/sessions.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

export function sessionRoutes(deps: ApiDeps) {
  const { store, registry, hub, clock } = deps;
  const withDots = (session: Session): SessionView => {
    const { key, ...rest } = session;
    return { ...rest, dots: store.sessions.dotCounts(key) };
  };

  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const input = await readBody(c, newSessionBody);
      if (!store.chairs.get(input.chairId)) throw ApiError.notFound(`chair ${input.chairId}`);
      if (!mayUseChair(c.get('caller'), input.chairId)) throw ApiError.otherChair();
      const plan = input.planId ? store.plans.plan(input.planId) : undefined;
      if (input.planId && !plan) throw ApiError.notFound(`plan ${input.planId}`);
      if (plan && plan.patientRef !== input.patientRef) {
        const message = `plan ${plan.id} is for patient ${plan.patientRef}, not ${input.patientRef}`;
        throw new ApiError(409, 'conflict', message, { planId: message });
      }
      let session: Session;
      try {
        session = store.sessions.start({
          chairId: input.chairId,
          operatorId: input.operatorId,
          patientRef: input.patientRef,
          planId: plan?.id ?? null,
          startedAt: clock.now(),
        });
      } catch (error) {
        if (error instanceof OpenSessionExists) throw new ApiError(409, 'conflict', error.message);
        throw error;
      }
      recordAudit(deps, c, 'session.start', session.id, {
        chairId: session.chairId, operatorId: session.operatorId, patientRef: session.patientRef, planId: session.planId,
      });
      registry.release(session.chairId, InhibitReason.sessionEnded);
      hub.emit('session', { session, change: 'started' });
      return c.json(withDots(session), 201);
    })
    .get('/:id', (c) => c.json(withDots(find(c.req.param('id'), c.get('caller')))))
    .post('/:id/end', (c) => {
      const open = find(c.req.param('id'), c.get('caller'));
      if (open.endedAt !== null) return c.json(withDots(open));
      const ended = store.sessions.end(open.id, clock.now())!;
      recordAudit(deps, c, 'session.end', ended.id, { chairId: ended.chairId });
      registry.inhibit(ended.chairId, { reason: InhibitReason.sessionEnded });
      hub.emit('session', { session: ended, change: 'ended' });
      return c.json(withDots(ended));
    });

  function find(id: string, caller: AppEnv['Variables']['caller']): Session {
    const session = store.sessions.get(id);
    if (!session) throw ApiError.notFound(`session ${id}`);
    if (!mayUseChair(caller, session.chairId)) throw ApiError.otherChair();
    return session;
  }
}
