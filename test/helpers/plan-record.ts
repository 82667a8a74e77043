import { planView, treatmentView, type PlanView, type TreatmentView } from '../../server/protocol/plan.ts';
import type { Finding } from '../../server/protocol/followup.ts';
import { dot, RawDevice } from './raw-device.ts';
import { chairWithDevice, type TestServer } from './server.ts';

/** A three-session treatment whose first session is over: its dots sent by a handpiece region by region, the session ended. */
export async function treatmentAfterFirstSession(
  server: TestServer,
  dotsByRegion: Readonly<Record<string, number>>,
  patientRef = 'P-0042',
): Promise<{ treatment: TreatmentView; sessionStartedAt: number }> {
  const created = await server.request('POST', '/api/treatments', { patientRef, sessions: 3 });
  if (created.status !== 201) throw new Error(`treatment not created: ${created.status}`);
  const treatment = treatmentView.parse(await created.json());
  const ids = await chairWithDevice(server.api);
  const started = await server.request('POST', '/api/sessions', { chairId: ids.chairId, operatorId: 'op-1', patientRef, planId: treatment.plans[0]!.id });
  if (started.status !== 201) throw new Error(`session not started: ${started.status}`);
  const session = (await started.json()) as { id: string; startedAt: number };

  const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
  let seq = 0;
  for (const [region, count] of Object.entries(dotsByRegion)) {
    const batch = Array.from({ length: count }, () => dot(++seq, { region, x: undefined, y: undefined }));
    for (let i = 0; i < batch.length; i += 100) device.send(batch.slice(i, i + 100));
  }
  await device.acked(seq);
  device.close();
  await device.closed();
  const ended = await server.request('POST', `/api/sessions/${session.id}/end`, {});
  if (ended.status !== 200) throw new Error(`session not ended: ${ended.status}`);
  return { treatment, sessionStartedAt: session.startedAt };
}

/** A follow-up visit written straight into its tables (the visit API is built elsewhere). */
export function addVisit(
  server: TestServer,
  treatmentId: string,
  visitedAt: number,
  findings: ReadonlyArray<[region: string, finding: Finding, note?: string]>,
): string {
  const id = `fv_${visitedAt.toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const db = server.store.db;
  db.prepare('INSERT INTO followup_visits (id, treatment_id, visited_at, recorded_by, note, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(id, treatmentId, visitedAt, 'Sam', '', visitedAt);
  const insert = db.prepare('INSERT INTO followup_findings (visit_id, region, finding, note) VALUES (?, ?, ?, ?)');
  for (const [region, finding, note = ''] of findings) insert.run(id, region, finding, note);
  return id;
}

/** A supervisor's clearance of a visit's needs-laser finding, written straight into its table. */
export function clearLaser(server: TestServer, treatmentId: string, visitId: string, at: number): void {
  server.store.db
    .prepare('INSERT INTO laser_clearances (treatment_id, visit_id, cleared_by, reason, cleared_at) VALUES (?, ?, ?, ?, ?)')
    .run(treatmentId, visitId, 'Sam', 'lasered on the 3rd, healed', at);
}

/** A plan as the server stores it now. */
export async function storedPlan(server: TestServer, id: string): Promise<PlanView> {
  const response = await server.request('GET', `/api/plans/${id}`);
  if (response.status !== 200) throw new Error(`GET /api/plans/${id} answered ${response.status}`);
  return planView.parse(await response.json());
}
