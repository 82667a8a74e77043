import { Hono } from 'hono';
import { z } from 'zod';
import { patientRef } from '../../protocol/api.ts';
import { statusBody, TREATMENT_STATUSES } from '../../protocol/followup.ts';
import { treatmentRecord } from '../../record/treatment-record.ts';
import { newTreatmentBody } from '../../protocol/plan.ts';
import { planSaveBody } from '../../protocol/proposals.ts';
import { applyTemplate, templateForSession } from '../../plans/templates.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

const treatmentSearch = z.object({ patientRef: patientRef.optional(), status: z.enum(TREATMENT_STATUSES).optional() });

/** A patient's treatment: one plan per session, each started from the template for its place. */
export function treatmentRoutes(deps: ApiDeps) {
  const { store, clock } = deps;
  const find = (id: string) => {
    const treatment = store.plans.treatment(id);
    if (!treatment) throw ApiError.notFound(`treatment ${id}`);
    return treatment;
  };
  return new Hono<AppEnv>()
    .get('/', (c) => {
      const search = treatmentSearch.safeParse(c.req.query());
      if (!search.success) throw ApiError.invalid(search.error);
      return c.json(store.plans.treatments(search.data));
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
    .get('/:id', (c) => c.json(find(c.req.param('id'))))
    .get('/:id/record', (c) => c.json(treatmentRecord(store, find(c.req.param('id')))))
    .post('/:id/status', async (c) => {
      const before = find(c.req.param('id'));
      const { status } = await readBody(c, statusBody);
      const treatment = store.plans.setStatus(before.id, status, clock.now())!;
      recordAudit(deps, c, 'treatment.status', treatment.id, { patientRef: treatment.patientRef, from: before.status, to: status });
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
      const input = await readBody(c, planSaveBody);
      const plan = store.plans.updatePlan(before.id, input.template, input.regions, clock.now())!;
      // The record's proposals the supervisor took or turned down before this save (docs/treatments.md).
      const proposals = input.proposals && { proposals: input.proposals };
      recordAudit(deps, c, 'plan.update', plan.id, { patientRef: plan.patientRef, session: plan.sessionNumber, template: plan.template, ...proposals });
      hub.emit('plan', { planId: plan.id });
      return c.json(plan);
    });
}
