import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { treatmentView } from '../server/protocol/plan.ts';
import { treatmentRecordView } from '../server/protocol/report.ts';
import { DATABASE_FILE } from '../server/store/db.ts';
import { migrate } from '../server/store/migrations.ts';
import { dot, RawDevice } from './helpers/raw-device.ts';
import { chairWithDevice, startTestServer, tempDir, type TestServer } from './helpers/server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

async function treatment(target: TestServer, patientRef: string) {
  return treatmentView.parse(await (await target.request('POST', '/api/treatments', { patientRef, sessions: 3 })).json());
}

describe('treatments as the unit the clinic works with', () => {
  it('are searched by patient code and status; closing or pausing one is audited', async () => {
    server = await startTestServer();
    const a = await treatment(server, 'P-0001');
    await treatment(server, 'P-0002');
    const closed = await server.request('POST', `/api/treatments/${a.id}/status`, { status: 'complete' });
    expect(closed.status).toBe(200);
    expect(treatmentView.parse(await closed.json()).status).toBe('complete');
    const search = async (query: string) =>
      ((await (await server!.request('GET', `/api/treatments?${query}`)).json()) as Array<{ patientRef: string }>).map((t) => t.patientRef);
    expect(await search('status=complete')).toEqual(['P-0001']);
    expect(await search('status=active')).toEqual(['P-0002']);
    expect(await search('patientRef=P-0002&status=complete')).toEqual([]);
    expect((await server.request('GET', '/api/treatments?status=finished')).status).toBe(400);
    expect((await server.request('POST', `/api/treatments/${a.id}/status`, { status: 'gone' })).status).toBe(400);
    const audit = (await (await server.request('GET', '/api/audit?action=treatment.status')).json()) as Array<{ detail: unknown }>;
    expect(audit[0]!.detail).toMatchObject({ from: 'active', to: 'complete' });
  });

  it('its record is the sessions as a timeline and the whole coverage: every session of its plans, summed', async () => {
    server = await startTestServer();
    const t = await treatment(server, 'P-0142');
    const ids = await chairWithDevice(server.api);
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    const work = async (planId: string, seqs: number[], region: string) => {
      const session = await server!.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0142', planId });
      for (const seq of seqs) device.send(dot(seq, { region, x: 0.5, y: 0.7 }));
      await device.acked(seqs.at(-1)!);
      return session;
    };
    const first = await work(t.plans[0]!.id, [1, 2, 3], 'crown');
    await server.api.endSession(first.id);
    // Another patient's session on the same chair counts for nobody here.
    const other = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-9999' });
    device.send(dot(4, { region: 'crown' }));
    await device.acked(4);
    await server.api.endSession(other.id);
    await work(t.plans[1]!.id, [5, 6], 'hairline');

    const record = treatmentRecordView.parse(await (await server.request('GET', `/api/treatments/${t.id}/record`)).json());
    expect(record.steps.map((s) => [s.sessionNumber, s.state, s.placedDots])).toEqual([[1, 'done', 3], [2, 'in-progress', 2], [3, 'planned', 0]]);
    expect(record.steps[0]!.sessions.map((s) => s.id)).toEqual([first.id]);
    const placed = Object.fromEntries(record.cumulative.regions.map((r) => [r.region, r.placedDots]));
    expect(placed).toMatchObject({ crown: 3, hairline: 2 });
    expect(record.cumulative.placedDots).toBe(5);
    expect(record.cumulative.cells.reduce((sum, [, n]) => sum + n, 0)).toBe(5);
    // The treatment's target is the sum of its plans' targets.
    expect(record.cumulative.targetDots).toBe(record.steps.reduce((sum, s) => sum + s.targetDots, 0));
    device.close();
  });

  it('a session\'s "earlier" counts are its own treatment\'s: a patient\'s earlier treatment is not this one\'s', async () => {
    server = await startTestServer();
    const old = await treatment(server, 'P-0005');
    const now = await treatment(server, 'P-0005');
    const ids = await chairWithDevice(server.api);
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    const work = async (planId: string, seq: number) => {
      const session = await server!.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0005', planId });
      device.send(dot(seq, { region: 'crown' }));
      await device.acked(seq);
      await server!.api.endSession(session.id);
    };
    await work(old.plans[0]!.id, 1);
    await work(now.plans[0]!.id, 2);
    const next = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0005', planId: now.plans[1]!.id });
    const earlier = server.store.coverage.earlier('P-0005', server.store.sessions.get(next.id)!);
    expect(earlier.total).toBe(1);
    const planless = server.store.sessions.get(next.id)!;
    expect(server.store.coverage.earlier('P-0005', { ...planless, planId: null }).total).toBe(2);
    device.close();
  });

  it('a database made by the previous schema opens and migrates, keeping its treatments, sessions and dots', async () => {
    const dataDir = tempDir();
    const old = new Database(join(dataDir, DATABASE_FILE));
    migrate(old, 8);
    old.prepare("INSERT INTO chairs (id, name, created_at) VALUES ('ch1', 'Chair 1', 0)").run();
    old.prepare("INSERT INTO treatments (id, patient_ref, sessions_planned, head_scale, reference, created_at) VALUES ('tr1', 'P-7', 2, 1, 'caucasian', 0)").run();
    old.prepare("INSERT INTO plans (id, treatment_id, session_number, template, regions, updated_at) VALUES ('pl1', 'tr1', 1, NULL, '{}', 0)").run();
    old.prepare("INSERT INTO sessions (id, chair_id, operator_id, patient_ref, plan_id, started_at, ended_at) VALUES ('se1', 'ch1', 'op', 'P-7', 'pl1', 0, 10)").run();
    old.prepare("INSERT INTO dots (device_key, seq, made_at, session_key, region, x, y, cycles, dwell_ms, needles) VALUES (1, 1, 5, 1, 'crown', NULL, NULL, 18, 150, 3)").run();
    old.prepare("INSERT INTO session_region_counts (session_key, region, dots) VALUES (1, 'crown', 1)").run();
    old.close();

    server = await startTestServer({ dataDir });
    expect(treatmentView.parse(await (await server.request('GET', '/api/treatments/tr1')).json()).status).toBe('active');
    expect((await server.api.session('se1')).dots).toEqual({ total: 1, byRegion: { crown: 1 } });
    const record = treatmentRecordView.parse(await (await server.request('GET', '/api/treatments/tr1/record')).json());
    expect(record.cumulative.placedDots).toBe(1);
    expect((await server.request('GET', '/api/treatments/tr1/visits')).status).not.toBe(500);
  });
});
