import { Hono } from 'hono';
import { patientRef } from '../../protocol/api.ts';
import { newTreatmentBody, planBody } from '../../protocol/plan.ts';
import { applyTemplate, templateForSession } from '../../plans/templates.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/** A patient's treatment: one plan per session, each started from the template for its place. */
export function treatmentRoutes(deps: ApiDeps) {
  const { store, clock } = deps;
  return new Hono<AppEnv>()
    .get('/', (c) => {
      const query = c.req.query('patientRef');
      if (query === undefined) return c.json(store.plans.treatments());
      const ref = patientRef.safeParse(query);
      if (!ref.success) throw ApiError.invalid(ref.error);
      return c.json(store.plans.treatments(ref.data));
    })
    .post('/', async (c) => {
      const input = await readBody(c, newTreatmentBody);
      const plans = Array.from({ length: input.sessions }, (_, i) => {
        const template = templateForSession(i + 1);
        return { template, regions: applyTemplate(template, input.reference, input.headScale) };
      });
      const treatment = store.plans.create({ ...input, plans, createdAt: clock.now() });
      recordAudit(deps, c, 'treatment.create', treatment.id, { patientRef: treatment.patientRef, sessions: treatment.sessions });
      return c.json(treatment, 201);
    })
    .get('/:id', (c) => {
      const treatment = store.plans.treatment(c.req.param('id'));
      if (!treatment) throw ApiError.notFound(`treatment ${c.req.param('id')}`);
      return c.json(treatment);
    });
}

export function planRoutes(deps: ApiDeps) {
  const { store, clock, hub } = deps;
  const find = (id: string) => {
    const plan = store.plans.plan(id);
    if (!plan) throw ApiError.notFound(`plan ${id}`);
    return plan;
  };
  return new Hono<AppEnv>()
    .get('/:id', (c) => c.json(find(c.req.param('id'))))
    .put('/:id', async (c) => {
      const before = find(c.req.param('id'));
      const input = await readBody(c, planBody);
      const plan = store.plans.updatePlan(before.id, input.template, input.regions, clock.now())!;
      recordAudit(deps, c, 'plan.update', plan.id, { patientRef: plan.patientRef, session: plan.sessionNumber, template: plan.template });
      hub.emit('plan', { planId: plan.id });
      return c.json(plan);
    });
}
