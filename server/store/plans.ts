import { z } from 'zod';
import type { TreatmentStatus } from '../protocol/followup.ts';
import { planRegion, type FollicularReference, type PlanRegion, type PlanView, type TemplateId, type TreatmentView } from '../protocol/plan.ts';
import type { Db } from './db.ts';
import { newId } from './ids.ts';

interface TreatmentRow {
  id: string;
  patientRef: string;
  sessions: number;
  headScale: number;
  reference: FollicularReference;
  createdAt: number;
  status: TreatmentStatus;
}

export interface TreatmentFilter {
  patientRef?: string | undefined;
  status?: TreatmentStatus | undefined;
}

interface PlanRow {
  id: string;
  treatmentId: string;
  sessionNumber: number;
  template: TemplateId | null;
  regions: string;
  updatedAt: number;
}

export interface NewTreatment extends Omit<TreatmentRow, 'id' | 'status'> {
  /** The plan of each session, first to last. */
  plans: Array<{ template: TemplateId; regions: Record<string, PlanRegion> }>;
}

const storedRegions = z.record(z.string(), planRegion);

const treatmentColumns = `id, patient_ref AS patientRef, sessions_planned AS sessions, head_scale AS headScale,
  reference, created_at AS createdAt, status`;
const planColumns = `id, treatment_id AS treatmentId, session_number AS sessionNumber, template, regions, updated_at AS updatedAt`;

/** A patient's treatments, each with one plan per session. */
export function planStore(db: Db) {
  const insertTreatment = db.prepare(
    `INSERT INTO treatments (id, patient_ref, sessions_planned, head_scale, reference, created_at)
     VALUES (@id, @patientRef, @sessions, @headScale, @reference, @createdAt)`,
  );
  const insertPlan = db.prepare(
    'INSERT INTO plans (id, treatment_id, session_number, template, regions, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const treatmentById = db.prepare<[string], TreatmentRow>(`SELECT ${treatmentColumns} FROM treatments WHERE id = ?`);
  // A filter left out matches everything: one statement serves the list and both searches.
  const treatmentsMatching = db.prepare<[{ patientRef: string | null; status: string | null }], TreatmentRow>(
    `SELECT ${treatmentColumns} FROM treatments
     WHERE (@patientRef IS NULL OR patient_ref = @patientRef) AND (@status IS NULL OR status = @status) ORDER BY created_at DESC`,
  );
  const setStatus = db.prepare('UPDATE treatments SET status = ?, status_changed_at = ? WHERE id = ?');
  const planById = db.prepare<[string], PlanRow>(`SELECT ${planColumns} FROM plans WHERE id = ?`);
  const plansOfTreatment = db.prepare<[string], PlanRow>(
    `SELECT ${planColumns} FROM plans WHERE treatment_id = ? ORDER BY session_number`,
  );
  const updatePlan = db.prepare('UPDATE plans SET template = ?, regions = ?, updated_at = ? WHERE id = ?');

  const view = (plan: PlanRow, treatment: TreatmentRow): PlanView => ({
    id: plan.id,
    treatmentId: treatment.id,
    patientRef: treatment.patientRef,
    sessionNumber: plan.sessionNumber,
    sessionsPlanned: treatment.sessions,
    headScale: treatment.headScale,
    reference: treatment.reference,
    template: plan.template,
    regions: storedRegions.parse(JSON.parse(plan.regions)),
    updatedAt: plan.updatedAt,
  });
  const withPlans = (treatment: TreatmentRow): TreatmentView => ({
    ...treatment,
    plans: plansOfTreatment.all(treatment.id).map((plan) => view(plan, treatment)),
  });

  return {
    create: db.transaction((input: NewTreatment): TreatmentView => {
      const { plans, ...row } = input;
      const treatment = { id: newId('tr'), ...row, status: 'active' as const };
      insertTreatment.run(treatment);
      plans.forEach((plan, i) => insertPlan.run(newId('pl'), treatment.id, i + 1, plan.template, JSON.stringify(plan.regions), row.createdAt));
      return withPlans(treatment);
    }),
    treatment(id: string): TreatmentView | undefined {
      const row = treatmentById.get(id);
      return row && withPlans(row);
    },
    treatments(filter: TreatmentFilter = {}): TreatmentView[] {
      return treatmentsMatching.all({ patientRef: filter.patientRef ?? null, status: filter.status ?? null }).map(withPlans);
    },
    setStatus(id: string, status: TreatmentStatus, now: number): TreatmentView | undefined {
      setStatus.run(status, now, id);
      return this.treatment(id);
    },
    plan(id: string): PlanView | undefined {
      const plan = planById.get(id);
      return plan && view(plan, treatmentById.get(plan.treatmentId)!);
    },
    updatePlan(id: string, template: TemplateId | null, regions: Record<string, PlanRegion>, now: number): PlanView | undefined {
      updatePlan.run(template, JSON.stringify(regions), now, id);
      return this.plan(id);
    },
  };
}

export type PlanStore = ReturnType<typeof planStore>;
