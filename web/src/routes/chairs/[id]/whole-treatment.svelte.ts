import type { LivePlan } from '$protocol/live';
import { planView, treatmentView } from '$protocol/plan';
import { api } from '$lib/api';
import { wholeTreatmentPlan } from '$lib/chair-display';

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
    this.plan = wholeTreatmentPlan(treatment);
  }
}
