import { z } from 'zod';
import { FINDINGS } from '../protocol/followup.ts';
import type { LatestFinding } from '../protocol/proposals.ts';
import type { Db } from './db.ts';

const findingRow = z.object({
  visitId: z.string(),
  visitedAt: z.number(),
  region: z.string(),
  finding: z.enum(FINDINGS),
  note: z.string(),
  laserCleared: z.number().transform((n) => n === 1),
});

/**
 * Read-only: what a treatment's earlier sessions placed and what its follow-up visits found, for
 * the next session's plan (server/plans/proposals.ts). "Earlier" is by plan: the sessions run for
 * the treatment's plans numbered below the one being prepared.
 */
export function planHistoryStore(db: Db) {
  const earlier = `FROM plans p JOIN sessions s ON s.plan_id = p.id WHERE p.treatment_id = ? AND p.session_number < ?`;
  const placed = db.prepare<[string, number], { region: string; dots: number }>(
    `SELECT c.region, sum(c.dots) AS dots ${earlier.replace('WHERE', 'JOIN session_region_counts c ON c.session_key = s.key WHERE')} GROUP BY c.region`,
  );
  const sessions = db.prepare<[string, number], { count: number; lastStart: number | null }>(
    `SELECT count(*) AS count, max(s.started_at) AS lastStart ${earlier}`,
  );
  // Per region, every finding of the latest visit that looked at it.
  const findings = db.prepare<[string, number], unknown>(
    `SELECT visitId, visitedAt, region, finding, note, laserCleared FROM (
       SELECT v.id AS visitId, v.visited_at AS visitedAt, f.region, f.finding, f.note,
         EXISTS (SELECT 1 FROM laser_clearances l WHERE l.visit_id = v.id) AS laserCleared,
         rank() OVER (PARTITION BY f.region ORDER BY v.visited_at DESC, v.created_at DESC, v.id DESC) AS latest
       FROM followup_visits v JOIN followup_findings f ON f.visit_id = v.id
       WHERE v.treatment_id = ? AND v.visited_at >= ?)
     WHERE latest = 1 ORDER BY region, finding`,
  );

  return {
    /** Dots per region over the sessions of the treatment's plans before session `sessionNumber`. */
    placedBefore(treatmentId: string, sessionNumber: number): Record<string, number> {
      return Object.fromEntries(placed.all(treatmentId, sessionNumber).map((row) => [row.region, row.dots]));
    },
    /** How many sessions ran for those plans, and when the last of them began. */
    earlierSessions(treatmentId: string, sessionNumber: number): { count: number; lastStart: number | null } {
      return sessions.get(treatmentId, sessionNumber)!;
    },
    /**
     * Each region's findings at the latest visit that looked at it, among the visits since `since`:
     * a finding from before the last session describes skin that session has worked on since.
     */
    latestFindings(treatmentId: string, since: number): LatestFinding[] {
      return findings.all(treatmentId, since).map((row) => findingRow.parse(row));
    },
  };
}

export type PlanHistoryStore = ReturnType<typeof planHistoryStore>;
