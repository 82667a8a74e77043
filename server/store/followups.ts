import type {
  LaserClearanceView,
  LatestRegionFindings,
  PhotoView,
  PhotoViewModel,
  RegionFinding,
  VisitView,
} from '../protocol/followup.ts';
import type { Db } from './db.ts';
import { OPERATED_BY } from './sessions.ts';
import { newId } from './ids.ts';

export interface NewVisit {
  treatmentId: string;
  visitedAt: number;
  recordedBy: string;
  note: string;
  findings: RegionFinding[];
  createdAt: number;
}

export interface NewPhoto {
  visitId: string;
  region: string;
  view: PhotoView;
  sha256: string;
  width: number;
  height: number;
  bytes: number;
  createdAt: number;
}

/** A photo with what is needed to find its file and to decide who may see it. */
export interface StoredPhoto extends PhotoViewModel {
  sha256: string;
  treatmentId: string;
}

export interface NewClearance {
  treatmentId: string;
  visitId: string;
  clearedBy: string;
  reason: string;
  clearedAt: number;
}

type VisitRow = Omit<VisitView, 'findings' | 'photos'>;
type FindingRow = RegionFinding & { visitId: string };

const visitColumns = 'id, treatment_id AS treatmentId, visited_at AS visitedAt, recorded_by AS recordedBy, note';
const photoColumns = `p.id, p.visit_id AS visitId, p.region, p.view, p.width, p.height, p.bytes, p.created_at AS createdAt`;
// Newest first; visits of the same moment in the order they were recorded, the last first.
const newestFirst = 'ORDER BY visited_at DESC, created_at DESC, rowid DESC';

/** Follow-up visits of a treatment: findings per region, photos (their files live in server/followup/photo-files.ts), laser clearances. */
export function followupStore(db: Db) {
  const insertVisit = db.prepare(
    `INSERT INTO followup_visits (id, treatment_id, visited_at, recorded_by, note, created_at)
     VALUES (@id, @treatmentId, @visitedAt, @recordedBy, @note, @createdAt)`,
  );
  const insertFinding = db.prepare('INSERT INTO followup_findings (visit_id, region, finding, note) VALUES (?, ?, ?, ?)');
  const visitById = db.prepare<[string], VisitRow>(`SELECT ${visitColumns} FROM followup_visits WHERE id = ?`);
  const visitsOf = db.prepare<[string], VisitRow>(`SELECT ${visitColumns} FROM followup_visits WHERE treatment_id = ? ${newestFirst}`);
  const latestVisitOf = db.prepare<[string], VisitRow>(`SELECT ${visitColumns} FROM followup_visits WHERE treatment_id = ? ${newestFirst} LIMIT 1`);
  const findingsOf = db.prepare<[string], FindingRow>(
    `SELECT f.visit_id AS visitId, f.region, f.finding, f.note FROM followup_findings f
     JOIN followup_visits v ON v.id = f.visit_id WHERE v.treatment_id = ? ORDER BY f.region, f.finding`,
  );
  const findingsOfVisit = db.prepare<[string], FindingRow>(
    'SELECT visit_id AS visitId, region, finding, note FROM followup_findings WHERE visit_id = ? ORDER BY region, finding',
  );
  const insertPhoto = db.prepare(
    `INSERT INTO followup_photos (id, visit_id, region, view, sha256, width, height, bytes, created_at)
     VALUES (@id, @visitId, @region, @view, @sha256, @width, @height, @bytes, @createdAt)`,
  );
  const photosOf = db.prepare<[string], PhotoViewModel>(
    `SELECT ${photoColumns} FROM followup_photos p JOIN followup_visits v ON v.id = p.visit_id
     WHERE v.treatment_id = ? ORDER BY p.created_at, p.rowid`,
  );
  const photoById = db.prepare<[string], StoredPhoto>(
    `SELECT ${photoColumns}, p.sha256, v.treatment_id AS treatmentId FROM followup_photos p
     JOIN followup_visits v ON v.id = p.visit_id WHERE p.id = ?`,
  );
  const insertClearance = db.prepare(
    `INSERT INTO laser_clearances (treatment_id, visit_id, cleared_by, reason, cleared_at)
     VALUES (@treatmentId, @visitId, @clearedBy, @reason, @clearedAt)`,
  );
  const clearancesOf = db.prepare<[string], LaserClearanceView>(
    `SELECT visit_id AS visitId, cleared_by AS clearedBy, reason, cleared_at AS clearedAt
     FROM laser_clearances WHERE treatment_id = ? ORDER BY cleared_at DESC, id DESC`,
  );
  const clearedVisit = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM laser_clearances WHERE visit_id = ?');
  // Sessions that follow a plan of the treatment, on this chair, that this person operated (now or before a handover).
  const operatedOnChair = db.prepare<[{ treatmentId: string; chairId: string; operatorId: string }], { n: number }>(
    `SELECT count(*) AS n FROM sessions s JOIN plans p ON p.id = s.plan_id
     WHERE p.treatment_id = @treatmentId AND s.chair_id = @chairId AND ${OPERATED_BY}`,
  );

  const finding = (row: FindingRow): RegionFinding => ({ region: row.region, finding: row.finding, note: row.note });

  function visits(treatmentId: string): VisitView[] {
    const findings = byVisit(findingsOf.all(treatmentId));
    const photos = byVisit(photosOf.all(treatmentId));
    return visitsOf.all(treatmentId).map((visit) => ({
      ...visit,
      findings: (findings.get(visit.id) ?? []).map(finding),
      photos: photos.get(visit.id) ?? [],
    }));
  }

  return {
    /** The visit and its findings, together or not at all. */
    addVisit: db.transaction((input: NewVisit): VisitView => {
      const { findings, ...row } = input;
      const id = newId('fv');
      insertVisit.run({ id, ...row });
      for (const f of findings) insertFinding.run(id, f.region, f.finding, f.note);
      const { createdAt: _createdAt, ...visit } = row;
      return { id, ...visit, findings, photos: [] };
    }),
    visit: (id: string): VisitRow | undefined => visitById.get(id),
    /** A treatment's visits, newest first, each with its findings and photos. */
    visits,
    /** Per region, the findings of the newest visit that recorded any for it. */
    latestFindings(treatmentId: string): Record<string, LatestRegionFindings> {
      const latest: Record<string, LatestRegionFindings> = {};
      for (const visit of visits(treatmentId)) {
        for (const f of visit.findings) {
          const seen = latest[f.region];
          if (!seen) latest[f.region] = { visitId: visit.id, visitedAt: visit.visitedAt, findings: [f] };
          else if (seen.visitId === visit.id) seen.findings.push(f);
        }
      }
      return latest;
    },
    /** The newest visit with its findings (no photos); undefined before the first. */
    latestVisit(treatmentId: string): (VisitRow & { findings: RegionFinding[] }) | undefined {
      const visit = latestVisitOf.get(treatmentId);
      return visit && { ...visit, findings: findingsOfVisit.all(visit.id).map(finding) };
    },
    addPhoto(input: NewPhoto): PhotoViewModel {
      const id = newId('ph');
      insertPhoto.run({ id, ...input });
      const { sha256: _sha256, ...view } = input;
      return { id, ...view };
    },
    photo: (id: string): StoredPhoto | undefined => photoById.get(id),
    addClearance(input: NewClearance): LaserClearanceView {
      insertClearance.run(input);
      const { treatmentId: _treatmentId, ...view } = input;
      return view;
    },
    clearances: (treatmentId: string): LaserClearanceView[] => clearancesOf.all(treatmentId),
    isCleared: (visitId: string): boolean => clearedVisit.get(visitId)!.n > 0,
    operatedOnChair: (treatmentId: string, chairId: string, personId: string): boolean =>
      operatedOnChair.get({ treatmentId, chairId, operatorId: personId })!.n > 0,
  };
}

// Map.groupBy is Node 21+; the box runs Node 20.
function byVisit<T extends { visitId: string }>(rows: T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const group = grouped.get(row.visitId);
    if (group) group.push(row);
    else grouped.set(row.visitId, [row]);
  }
  return grouped;
}

export type FollowupStore = ReturnType<typeof followupStore>;
