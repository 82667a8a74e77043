import { Hono } from 'hono';
import { stippledAreas, summedRegions } from '../../plans/plan-math.ts';
import { laserBlock } from '../../followup/laser.ts';
import { proposePlan, reachedDensity, type RegionHistory } from '../../plans/proposals.ts';
import { applyTemplate, templateForSession } from '../../plans/templates.ts';
import type { LatestFinding, PlanProposalsView } from '../../protocol/proposals.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/**
 * `GET /api/plans/:id/proposals`: per region of the plan being prepared, what the treatment's
 * earlier sessions placed against its goal, the latest follow-up findings, and the proposed change.
 */
export function planProposalRoutes(deps: ApiDeps) {
  const { store } = deps;
  return new Hono<AppEnv>().get('/:id/proposals', (c) => {
    const plan = store.plans.plan(c.req.param('id'));
    if (!plan) throw ApiError.notFound(`plan ${c.req.param('id')}`);
    const treatment = store.plans.treatment(plan.treatmentId)!;
    const earlier = store.planHistory.earlierSessions(treatment.id, plan.sessionNumber);
    const placed = store.planHistory.placedBefore(treatment.id, plan.sessionNumber);
    const findings = store.planHistory.latestFindings(treatment.id, earlier.lastStart ?? 0);
    const template = plan.template ?? templateForSession(plan.sessionNumber);
    // The goal counts this session at its template's density, not as saved: an accepted fill-in
    // raises the saved density, and must not raise its own cap (and be proposed again) with it.
    const goals = summedRegions([
      ...treatment.plans.filter((p) => p.id !== plan.id).map((p) => p.regions),
      applyTemplate(template, plan.reference, plan.headScale),
    ]);
    const areas = stippledAreas(plan.regions);

    const history: Record<string, RegionHistory & { findings: LatestFinding[] }> = {};
    for (const id of Object.keys(plan.regions)) {
      history[id] = {
        placed: { dots: placed[id] ?? 0, areaCm2: areas[id] ?? 0 },
        goalDensity: goals[id]?.density ?? 0,
        findings: findings.filter((f) => f.region === id),
      };
    }
    const proposals = proposePlan({ template, reference: plan.reference, regions: plan.regions, history });
    const view: PlanProposalsView = {
      planId: plan.id,
      treatmentId: treatment.id,
      sessionNumber: plan.sessionNumber,
      earlierSessions: earlier.count,
      // The same rule that refuses POST /api/sessions: one definition of the block.
      blocked: laserBlock(store.followups, treatment.id) !== undefined,
      regions: Object.entries(history).map(([id, h]) => ({
        region: id,
        placed: { ...h.placed, density: reachedDensity(h.placed), goalDensity: h.goalDensity },
        findings: h.findings,
        proposal: proposals[id] ?? null,
      })),
    };
    return c.json(view);
  });
}
