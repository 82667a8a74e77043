import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FADED_SHARE } from '../server/plans/proposals.ts';
import { planView, type PlanView } from '../server/protocol/plan.ts';
import { planProposalsView, type PlanProposalsView, type RegionRecord } from '../server/protocol/proposals.ts';
import { addVisit, clearLaser, treatmentAfterFirstSession } from './helpers/plan-record.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.dispose();
});

const DAY = 86_400_000;

async function proposals(planId: string): Promise<PlanProposalsView> {
  const response = await server.request('GET', `/api/plans/${planId}/proposals`);
  expect(response.status).toBe(200);
  return planProposalsView.parse(await response.json());
}

const byRegion = (view: PlanProposalsView) => Object.fromEntries(view.regions.map((r) => [r.region, r])) as Record<string, RegionRecord>;

/** The second plan with the left temple shrunk to 2 cm², so a handful of dots can reach its goal. */
async function secondPlanWithSmallTemple(plan: PlanView): Promise<PlanView> {
  const regions = { ...plan.regions, 'temporal-left': { ...plan.regions['temporal-left']!, areaCm2: 2 } };
  const response = await server.request('PUT', `/api/plans/${plan.id}`, { template: plan.template, regions });
  expect(response.status).toBe(200);
  return planView.parse(await response.json());
}

describe('the next plan from the record over HTTP', () => {
  it('session 2 gets a proposal per finding, against what session 1 placed and the treatment goal', async () => {
    // Session 1 placed 20 dots/cm² on the crown (75 cm²), 10 on the hairline (30 cm²), 132 dots on the temple.
    const { treatment } = await treatmentAfterFirstSession(server, { crown: 1500, hairline: 300, 'temporal-left': 132 });
    const [, second] = treatment.plans;
    await secondPlanWithSmallTemple(second!);
    const visitedAt = Date.now() + DAY;
    addVisit(server, treatment.id, visitedAt, [
      ['crown', 'bleeding', 'blurred at the whorl'],
      ['hairline', 'faded'],
      ['frontal', 'healed-well'],
      ['parietal-left', 'colour-shift', 'gone bluish'],
      ['parietal-right', 'irritation'],
      ['occipital', 'needs-laser'],
    ]);

    const view = await proposals(second!.id);
    expect(view).toMatchObject({ planId: second!.id, treatmentId: treatment.id, sessionNumber: 2, earlierSessions: 1, blocked: true });
    const regions = byRegion(view);

    // The crown: 1,500 dots over 75 cm² is 20 of a 29 + 25 + 12 = 66 dots/cm² goal; bleeding halves the 25.
    expect(regions.crown!.placed).toEqual({ dots: 1500, areaCm2: 75, density: 20, goalDensity: 66 });
    expect(regions.crown!.findings).toEqual([
      { region: 'crown', finding: 'bleeding', note: 'blurred at the whorl', visitId: expect.any(String), visitedAt, laserCleared: false },
    ]);
    expect(regions.crown!.proposal).toMatchObject({ kind: 'gentler-pass', changes: { density: 13, needles: 2, hue: 'charcoal, diluted' } });
    expect(regions.crown!.proposal!.reason).toContain('Pigment bleeding / blurring');

    const hairline = second!.regions.hairline!;
    expect(regions.hairline!.proposal).toMatchObject({ kind: 'fill-in', changes: { density: Math.round(hairline.density + FADED_SHARE * 10) } });
    // A change not proposed stays out of the answer: accepting must not blank the hue.
    expect(Object.keys(regions.hairline!.proposal!.changes).sort()).toEqual(['density', 'note']);
    expect(regions['temporal-left']!.placed.density).toBe(66);
    expect(regions['temporal-left']!.proposal).toMatchObject({ kind: 'goal-reached', changes: { density: 0 } });
    expect(regions.frontal!.proposal).toBeNull();
    expect(regions.frontal!.findings.map((f) => f.finding)).toEqual(['healed-well']);
    expect(regions['parietal-left']!.proposal).toMatchObject({ kind: 'pigment-note', changes: { note: expect.stringContaining('Colour shift') } });
    expect(regions['parietal-right']!.proposal?.kind).toBe('lighter-pass');
    expect(regions.occipital!.proposal).toMatchObject({ kind: 'hold-for-laser', changes: { density: 0 } });
    expect(regions.occipital!.proposal!.reason).toContain('blocked');
    // No finding and below the goal: the plan stands.
    expect(regions.midscalp!.proposal).toBeNull();
  });

  it('a cleared laser finding no longer blocks, and the lasered region gets a gentle pass', async () => {
    const { treatment } = await treatmentAfterFirstSession(server, { occipital: 10 });
    const visitId = addVisit(server, treatment.id, Date.now() + DAY, [['occipital', 'needs-laser']]);
    clearLaser(server, treatment.id, visitId, Date.now() + 2 * DAY);

    const view = await proposals(treatment.plans[1]!.id);
    expect(view.blocked).toBe(false);
    const occipital = byRegion(view).occipital!;
    expect(occipital.findings[0]).toMatchObject({ finding: 'needs-laser', laserCleared: true });
    expect(occipital.proposal?.kind).toBe('gentler-pass');
  });

  it('per region the latest visit counts, and visits from before the last session are not proposed again', async () => {
    const { treatment, sessionStartedAt } = await treatmentAfterFirstSession(server, { crown: 10 });
    addVisit(server, treatment.id, sessionStartedAt - DAY, [['hairline', 'bleeding']]);
    addVisit(server, treatment.id, Date.now() + DAY, [['crown', 'bleeding']]);
    addVisit(server, treatment.id, Date.now() + 2 * DAY, [['crown', 'healed-well'], ['frontal', 'faded']]);

    const regions = byRegion(await proposals(treatment.plans[1]!.id));
    expect(regions.crown!.findings.map((f) => f.finding)).toEqual(['healed-well']);
    expect(regions.crown!.proposal).toBeNull();
    expect(regions.frontal!.proposal?.kind).toBe('fill-in');
    expect(regions.hairline!.findings).toEqual([]);
  });

  it('a fill-in accepted and saved is not proposed again, and does not raise its own cap', async () => {
    // The reviewer's case: session 1 placed 24 dots/cm² on a faded hairline (30 cm²).
    const { treatment } = await treatmentAfterFirstSession(server, { hairline: 720 });
    addVisit(server, treatment.id, Date.now() + DAY, [['hairline', 'faded']]);
    const second = treatment.plans[1]!;
    const before = byRegion(await proposals(second.id)).hairline!;
    const first = before.proposal!;
    expect(first.kind).toBe('fill-in');
    const regions = { ...second.regions, hairline: { ...second.regions.hairline!, ...first.changes } };
    expect((await server.request('PUT', `/api/plans/${second.id}`, { template: second.template, regions })).status).toBe(200);
    const again = byRegion(await proposals(second.id)).hairline!;
    expect(again.placed.goalDensity).toBe(before.placed.goalDensity);
    expect(again.proposal?.changes.density ?? regions.hairline.density).toBe(first.changes.density);
  });

  it('session 1 with a follow-up but no earlier session: nothing placed, the findings proposed', async () => {
    const { treatment } = await treatmentAfterFirstSession(server, { crown: 10 });
    addVisit(server, treatment.id, Date.now() + DAY, [['crown', 'irritation']]);
    const view = await proposals(treatment.plans[0]!.id);
    expect(view).toMatchObject({ sessionNumber: 1, earlierSessions: 0, blocked: false });
    const crown = byRegion(view).crown!;
    expect(crown.placed.dots).toBe(0);
    expect(crown.proposal?.kind).toBe('lighter-pass');
  });

  it('a plan saved with the proposals taken and turned down records both in its plan.update audit entry', async () => {
    const { treatment } = await treatmentAfterFirstSession(server, { crown: 10 });
    const plan = treatment.plans[1]!;
    const decisions = { accepted: [{ region: 'crown', kind: 'gentler-pass' }], rejected: [{ region: 'hairline', kind: 'fill-in' }] };
    const saved = await server.request('PUT', `/api/plans/${plan.id}`, { template: plan.template, regions: plan.regions, proposals: decisions });
    expect(saved.status).toBe(200);
    expect(planView.parse(await saved.json()).regions).toEqual(plan.regions);
    const audit = (await (await server.request('GET', '/api/audit?action=plan.update')).json()) as Array<{ detail: Record<string, unknown> }>;
    expect(audit[0]!.detail).toMatchObject({ session: 2, proposals: decisions });

    const bad = await server.request('PUT', `/api/plans/${plan.id}`, { template: plan.template, regions: plan.regions, proposals: { accepted: [{ region: 'crown', kind: 'paint' }], rejected: [] } });
    expect(bad.status).toBe(400);
  });

  it('the proposals of a plan that does not exist are a 404', async () => {
    const response = await server.request('GET', '/api/plans/pl_missing/proposals');
    expect(response.status).toBe(404);
  });
});
