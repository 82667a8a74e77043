import { Hono } from 'hono';
import { newSessionBody, type SessionView } from '../../protocol/api.ts';
import { InhibitReason } from '../../protocol/v1.ts';
import { OpenSessionExists, type Session } from '../../store/sessions.ts';
import { readBody } from '../body.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

export function sessionRoutes({ store, registry, hub, clock }: ApiDeps) {
  const withDots = (session: Session): SessionView => {
    const { key, ...rest } = session;
    return { ...rest, dots: store.sessions.dotCounts(key) };
  };
  const find = (id: string): Session => {
    const session = store.sessions.get(id);
    if (!session) throw ApiError.notFound(`session ${id}`);
    return session;
  };

  return new Hono()
    .post('/', async (c) => {
      const input = await readBody(c, newSessionBody);
      if (!store.chairs.get(input.chairId)) throw ApiError.notFound(`chair ${input.chairId}`);
      // Plans arrive with the treatment-plan feature; until then no plan id can exist.
      if (input.planId) throw ApiError.notFound(`plan ${input.planId}`);
      let session: Session;
      try {
        session = store.sessions.start({
          chairId: input.chairId,
          operatorId: input.operatorId,
          patientRef: input.patientRef,
          planId: null,
          startedAt: clock.now(),
        });
      } catch (error) {
        if (error instanceof OpenSessionExists) throw new ApiError(409, 'conflict', error.message);
        throw error;
      }
      registry.release(session.chairId, InhibitReason.sessionEnded);
      hub.emit('session', { session, change: 'started' });
      return c.json(withDots(session), 201);
    })
    .get('/:id', (c) => c.json(withDots(find(c.req.param('id')))))
    .post('/:id/end', (c) => {
      const open = find(c.req.param('id'));
      if (open.endedAt !== null) return c.json(withDots(open));
      const ended = store.sessions.end(open.id, clock.now())!;
      registry.inhibit(ended.chairId, { reason: InhibitReason.sessionEnded });
      hub.emit('session', { session: ended, change: 'ended' });
      return c.json(withDots(ended));
    });
}
