import { regionTargets, summedRegions } from '$plans/plan-math';
import type { LivePlan } from '$protocol/live';
import { planView, treatmentView } from '$protocol/plan';
import { api } from '$lib/api';

/**
 * The whole treatment a chair's session belongs to, as the map reads a plan: every region with the
 * sum of the treatment's plans as its target. Loaded once per plan the session follows.
 */
export class WholeTreatment {
  plan = $state.raw<LivePlan | null>(null);
  #planId: string | null = null;

  follow(planId: string | null): void {
    if (planId === this.#planId) return;
    this.#planId = planId;
    this.plan = null;
    if (planId) void this.#load(planId);
  }

  async #load(planId: string): Promise<void> {
    const { treatmentId } = await api('GET', `/api/plans/${planId}`, planView.pick({ treatmentId: true }));
    const treatment = await api('GET', `/api/treatments/${treatmentId}`, treatmentView);
    if (planId !== this.#planId) return;
    const regions = summedRegions(treatment.plans.map((p) => p.regions));
    const targets = regionTargets(regions);
    this.plan = {
      id: treatment.id, updatedAt: 0, sessionNumber: 0, sessionsPlanned: treatment.sessions,
      regions: Object.fromEntries(Object.entries(regions).map(([id, r]) => [id, { ...r, target: targets[id] ?? 0 }])),
    };
  }
}
