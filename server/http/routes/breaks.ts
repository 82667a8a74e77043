import { Hono, type Context } from 'hono';
import { mayUseChair } from '../../auth/roles.ts';
import { breakPolicySetting } from '../../breaks/policy.ts';
import { DAY_MS, localDay } from '../../protocol/days.ts';
import { breakPolicy, overrideBody, type OperatorHistory } from '../../protocol/breaks.ts';
import { setupProgressSetting } from '../../setup/progress.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/** The clinic's break policy. */
export function breakPolicyRoutes(deps: ApiDeps) {
  const { store, breaks, clock } = deps;
  return new Hono<AppEnv>()
    .get('/policy', (c) => c.json(breakPolicySetting(store.settings).get()))
    .put('/policy', async (c) => {
      const policy = await readBody(c, breakPolicy);
      breakPolicySetting(store.settings).save(policy);
      breaks.policy = policy;
      setupProgressSetting(store.settings).reviewed('breaks', clock.now());
      recordAudit(deps, c, 'breaks.policy', null, policy);
      return c.json(policy);
    });
}

/** A chair's operator's break: postponed from the tablet, lifted by the supervisor. */
export function chairBreakRoutes(deps: ApiDeps) {
  const { store, breaks } = deps;
  const operatorAt = (c: Context<AppEnv>) => {
    const chairId = c.req.param('id')!;
    if (!store.chairs.get(chairId)) throw ApiError.notFound(`chair ${chairId}`);
    if (!mayUseChair(c.get('caller'), chairId)) throw ApiError.otherChair();
    const operatorId = breaks.operatorAt(chairId);
    if (!operatorId) throw new ApiError(409, 'conflict', 'no session is open at this chair');
    return { chairId, operatorId };
  };
  return new Hono<AppEnv>()
    .post('/:id/break/postpone', (c) => {
      const { chairId, operatorId } = operatorAt(c);
      const result = breaks.postpone(operatorId);
      if (!result.ok) throw new ApiError(409, 'conflict', result.reason);
      recordAudit(deps, c, 'break.postpone', chairId, { operatorId, byMs: result.byMs });
      return c.json({ byMs: result.byMs, fatigue: breaks.view(operatorId) });
    })
    .post('/:id/break/override', async (c) => {
      const { chairId, operatorId } = operatorAt(c);
      const { reason } = await readBody(c, overrideBody);
      const kind = breaks.view(operatorId).current?.kind;
      if (!breaks.override(operatorId, reason)) throw new ApiError(409, 'conflict', `${operatorId} is not on a break`);
      recordAudit(deps, c, 'break.override', chairId, { operatorId, kind, reason });
      return c.json({ fatigue: breaks.view(operatorId) });
    });
}

/** An operator's breaks over the last days, for the supervisor. */
export function operatorRoutes(deps: ApiDeps) {
  const { store, breaks, clock } = deps;
  return new Hono<AppEnv>().get('/:id/breaks', (c) => {
    const operatorId = c.req.param('id');
    const days = Math.min(60, Math.max(1, Number(c.req.query('days') ?? 14) || 14));
    const since = clock.now() - days * DAY_MS;
    const history: OperatorHistory = {
      operatorId,
      days: store.breaks.days(operatorId, localDay(since + DAY_MS)),
      events: store.breaks.events(operatorId, since),
      now: breaks.engine.operators().includes(operatorId) ? breaks.view(operatorId) : null,
    };
    return c.json(history);
  });
}
