import { Hono } from 'hono';
import { mayUseChair } from '../../auth/roles.ts';
import { laserBlock, laserBlockMessage } from '../../followup/laser.ts';
import { handoverBody, newSessionBody, type SessionView } from '../../protocol/api.ts';
import { InhibitReason } from '../../protocol/v1.ts';
import { OpenSessionExists, type Session } from '../../store/sessions.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { Context } from 'hono';
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
      const operatorId = sessionOperator(c, input.operatorId);
      const plan = input.planId ? store.plans.plan(input.planId) : undefined;
      if (input.planId && !plan) throw ApiError.notFound(`plan ${input.planId}`);
      if (plan && plan.patientRef !== input.patientRef) {
        const message = `plan ${plan.id} is for patient ${plan.patientRef}, not ${input.patientRef}`;
        throw new ApiError(409, 'conflict', message, { planId: message });
      }
      // With its plan's treatment, or without a plan: with any active treatment of the patient.
      const treatments = plan ? [plan.treatmentId] : store.plans.treatments({ patientRef: input.patientRef, status: 'active' }).map((t) => t.id);
      const laser = treatments.map((id) => laserBlock(store.followups, id)).find((block) => block !== undefined);
      if (laser) throw new ApiError(409, 'laser_first', laserBlockMessage(laser), { planId: laserBlockMessage(laser) });
      let session: Session;
      try {
        session = store.sessions.start({
          chairId: input.chairId,
          operatorId,
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
    .post('/:id/handover', async (c) => {
      const input = await readBody(c, handoverBody);
      const open = find(c.req.param('id'), c.get('caller'));
      const operatorId = sessionOperator(c, input.operatorId);
      if (operatorId === open.operatorId) return c.json(withDots(open));
      const at = clock.now();
      const handed = store.sessions.handover(open, operatorId, at);
      if (!handed) throw new ApiError(409, 'conflict', `session ${open.id} has ended: start a new one`);
      recordAudit(deps, c, 'session.handover', handed.id, { chairId: handed.chairId, from: open.operatorId, to: operatorId });
      hub.emit('handover', { session: handed, from: open.operatorId, at });
      return c.json(withDots(handed));
    })
    .post('/:id/end', (c) => {
      const open = find(c.req.param('id'), c.get('caller'));
      if (open.endedAt !== null) return c.json(withDots(open));
      const ended = store.sessions.end(open.id, clock.now())!;
      recordAudit(deps, c, 'session.end', ended.id, { chairId: ended.chairId });
      registry.inhibit(ended.chairId, { reason: InhibitReason.sessionEnded });
      hub.emit('session', { session: ended, change: 'ended' });
      return c.json(withDots(ended));
    });

  /**
   * Who operates: a signed-in operator is the person at the handpiece (their breaks are counted on
   * them, so they cannot work under another's name); staff choose an active operator of the clinic;
   * the admin token (integrations, protocol v1) names its own operator reference.
   */
  function sessionOperator(c: Context<AppEnv>, requested: string | undefined): string {
    const caller = c.get('caller');
    const required = () => new ApiError(400, 'invalid', 'who is operating?', { operatorId: 'who is operating?' });
    if (c.get('browserSession') === undefined) {
      if (!requested) throw required();
      return requested;
    }
    if (caller.role === 'operator') {
      if (requested !== undefined && requested !== caller.personId) {
        throw new ApiError(403, 'forbidden', 'you can operate only as yourself: the other operator signs in on this tablet');
      }
      return caller.personId!;
    }
    if (!requested) throw required();
    const person = store.people.get(requested);
    if (!person || person.role !== 'operator' || person.disabledAt !== null) {
      const message = 'pick an active operator of the clinic';
      throw new ApiError(400, 'invalid', message, { operatorId: message });
    }
    return person.id;
  }

  function find(id: string, caller: AppEnv['Variables']['caller']): Session {
    const session = store.sessions.get(id);
    if (!session) throw ApiError.notFound(`session ${id}`);
    if (!mayUseChair(caller, session.chairId)) throw ApiError.otherChair();
    return session;
  }
}
