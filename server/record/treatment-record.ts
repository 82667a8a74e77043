import { regionTargets, summedRegions } from '../plans/plan-math.ts';
import type { TreatmentView } from '../protocol/plan.ts';
import type { TreatmentRecordView } from '../protocol/report.ts';
import type { Store } from '../store/index.ts';
import { regionLabel } from './summarise.ts';

const total = (targets: Record<string, number>) => Object.values(targets).reduce((sum, n) => sum + n, 0);

/** The treatment's timeline and its whole coverage, read from what the store keeps per session. */
export function treatmentRecord(store: Store, treatment: TreatmentView): TreatmentRecordView {
  const sessions = store.records.ofTreatment(treatment.id);
  const name = (id: string) => store.people.get(id)?.name ?? id;
  const steps = treatment.plans.map((plan) => {
    const own = sessions.filter((s) => s.planId === plan.id);
    const targetDots = total(regionTargets(plan.regions));
    const placedDots = own.reduce((sum, s) => sum + s.dots, 0);
    return {
      planId: plan.id,
      sessionNumber: plan.sessionNumber,
      state: own.length === 0 ? ('planned' as const) : own.some((s) => s.endedAt === null) ? ('in-progress' as const) : ('done' as const),
      targetDots,
      placedDots,
      percentOfPlan: targetDots > 0 ? Math.round((placedDots / targetDots) * 1000) / 10 : null,
      sessions: own.map((s) => ({
        id: s.id, chairName: s.chairName, operatorId: s.operatorId, operatorName: name(s.operatorId), startedAt: s.startedAt, endedAt: s.endedAt, dots: s.dots,
      })),
    };
  });

  const plan = summedRegions(treatment.plans.map((p) => p.regions));
  const targets = regionTargets(plan);
  const tally = store.coverage.treatment(treatment.id);
  const regions = Object.keys(plan).map((region) => ({
    region, label: regionLabel(region, plan), placedDots: tally.regions.get(region) ?? 0, targetDots: targets[region] ?? 0,
  }));
  const cells: Array<[number, number]> = [];
  tally.cells.forEach((dots, cell) => {
    if (dots > 0) cells.push([cell, dots]);
  });
  return { treatment, steps, cumulative: { placedDots: tally.total, targetDots: total(targets), regions, cells } };
}
