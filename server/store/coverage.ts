import { CoverageTally } from '../coverage/tally.ts';
import type { Db } from './db.ts';

/** Reads the coverage counts the ingest writer keeps beside the dots. */
export function coverageStore(db: Db) {
  const regions = db.prepare<[number], { region: string; dots: number }>(
    'SELECT region, dots FROM session_region_counts WHERE session_key = ?',
  );
  const cells = db.prepare<[number], { cell: number; dots: number }>('SELECT cell, dots FROM session_cells WHERE session_key = ?');
  const earlierRegions = db.prepare<[string, number, number], { region: string; dots: number }>(
    `SELECT c.region, sum(c.dots) AS dots FROM sessions s JOIN session_region_counts c ON c.session_key = s.key
     WHERE s.patient_ref = ? AND s.started_at <= ? AND s.key <> ? GROUP BY c.region`,
  );
  const earlierCells = db.prepare<[string, number, number], { cell: number; dots: number }>(
    `SELECT c.cell, sum(c.dots) AS dots FROM sessions s JOIN session_cells c ON c.session_key = s.key
     WHERE s.patient_ref = ? AND s.started_at <= ? AND s.key <> ? GROUP BY c.cell`,
  );

  const treatmentRegions = db.prepare<[string], { region: string; dots: number }>(
    `SELECT c.region, sum(c.dots) AS dots FROM plans p JOIN sessions s ON s.plan_id = p.id
     JOIN session_region_counts c ON c.session_key = s.key WHERE p.treatment_id = ? GROUP BY c.region`,
  );
  const treatmentCells = db.prepare<[string], { cell: number; dots: number }>(
    `SELECT c.cell, sum(c.dots) AS dots FROM plans p JOIN sessions s ON s.plan_id = p.id
     JOIN session_cells c ON c.session_key = s.key WHERE p.treatment_id = ? GROUP BY c.cell`,
  );

  // A session that follows a plan counts the earlier sessions of the same treatment, not another one's.
  const earlierInTreatmentRegions = db.prepare<[string, number, number], { region: string; dots: number }>(
    `SELECT c.region, sum(c.dots) AS dots FROM plans mine JOIN plans p ON p.treatment_id = mine.treatment_id
     JOIN sessions s ON s.plan_id = p.id JOIN session_region_counts c ON c.session_key = s.key
     WHERE mine.id = ? AND s.started_at <= ? AND s.key <> ? GROUP BY c.region`,
  );
  const earlierInTreatmentCells = db.prepare<[string, number, number], { cell: number; dots: number }>(
    `SELECT c.cell, sum(c.dots) AS dots FROM plans mine JOIN plans p ON p.treatment_id = mine.treatment_id
     JOIN sessions s ON s.plan_id = p.id JOIN session_cells c ON c.session_key = s.key
     WHERE mine.id = ? AND s.started_at <= ? AND s.key <> ? GROUP BY c.cell`,
  );

  const fill = (tally: CoverageTally, regionRows: Array<{ region: string; dots: number }>, cellRows: Array<{ cell: number; dots: number }>) => {
    for (const row of regionRows) tally.addCount(row.region, row.dots);
    for (const row of cellRows) tally.addCell(row.cell, row.dots);
    return tally;
  };

  return {
    /** What one session holds. */
    session: (sessionKey: number): CoverageTally => fill(new CoverageTally(), regions.all(sessionKey), cells.all(sessionKey)),
    /** The whole treatment: every session that followed one of its plans, done or open. */
    treatment: (treatmentId: string): CoverageTally => fill(new CoverageTally(), treatmentRegions.all(treatmentId), treatmentCells.all(treatmentId)),
    /**
     * What came before this session: the earlier sessions of its treatment when it follows a plan
     * (so a patient's earlier treatment is not counted as this one's), else the patient's earlier sessions.
     */
    earlier(patientRef: string, session: { key: number; startedAt: number; planId: string | null }): CoverageTally {
      if (session.planId !== null) {
        return fill(
          new CoverageTally(),
          earlierInTreatmentRegions.all(session.planId, session.startedAt, session.key),
          earlierInTreatmentCells.all(session.planId, session.startedAt, session.key),
        );
      }
      return fill(
        new CoverageTally(),
        earlierRegions.all(patientRef, session.startedAt, session.key),
        earlierCells.all(patientRef, session.startedAt, session.key),
      );
    },
  };
}

export type CoverageStore = ReturnType<typeof coverageStore>;
