import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cellOf } from '../server/coverage/grid.ts';
import { apiError } from '../server/protocol/api.ts';
import type { PlanRegion, PlanView, TreatmentView } from '../server/protocol/plan.ts';
import { count, query } from './helpers/database.ts';
import { dot, RawDevice } from './helpers/raw-device.ts';
import { chairWithDevice, startTestServer, waitFor, type TestServer } from './helpers/server.ts';

let server: TestServer;
let running = false;

beforeEach(async () => {
  server = await startTestServer();
  running = true;
});
afterEach(async () => {
  if (running) await server.dispose();
});

const PATIENT = 'P-0042';

async function errorOf(response: Response) {
  return apiError.parse(await response.json()).error;
}

async function createTreatment(body: Record<string, unknown> = {}): Promise<TreatmentView> {
  const response = await server.request('POST', '/api/treatments', { patientRef: PATIENT, sessions: 3, headScale: 1.15, ...body });
  expect(response.status).toBe(201);
  return (await response.json()) as TreatmentView;
}

async function getPlan(id: string): Promise<PlanView> {
  const response = await server.request('GET', `/api/plans/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as PlanView;
}

const putPlan = (id: string, body: unknown) => server.request('PUT', `/api/plans/${id}`, body);

const strip: PlanRegion = {
  label: 'Strip scar', areaCm2: 6, skin: 'scar', density: 25, needles: 1, hue: 'charcoal', note: 'raised at the left end',
  outline: [[0.3, 0.85], [0.7, 0.85], [0.7, 0.88], [0.3, 0.88]],
};

describe('treatment plans over HTTP', () => {
  it('a treatment of 3 sessions gets 3 plans from the first, fill-in and refine templates, with areas scaled by head size', async () => {
    const treatment = await createTreatment();
    expect(treatment).toMatchObject({ patientRef: PATIENT, sessions: 3, headScale: 1.15, reference: 'caucasian' });
    expect(treatment.plans.map((p) => [p.sessionNumber, p.template])).toEqual([[1, 'first'], [2, 'fill-in'], [3, 'refine']]);
    for (const plan of treatment.plans) {
      expect(plan).toMatchObject({ treatmentId: treatment.id, patientRef: PATIENT, sessionsPlanned: 3, headScale: 1.15 });
      // 75 cm² of crown and 100 of mid-scalp on the template head, × 1.15.
      expect(plan.regions.crown!.areaCm2).toBeCloseTo(86.25, 0);
      expect(plan.regions.midscalp!.areaCm2).toBe(115);
      for (const region of Object.values(plan.regions)) {
        expect(region.density).toBeLessThanOrEqual(100);
        expect(region.needles).toBeGreaterThanOrEqual(1);
        expect(region.needles).toBeLessThanOrEqual(6);
      }
    }
    const [first, , refine] = treatment.plans;
    expect(first!.regions.midscalp!.density).toBeGreaterThan(refine!.regions.midscalp!.density);
    expect(refine!.regions.midscalp!.needles).toBe(1);

    expect(await getPlan(first!.id)).toEqual(first);
    const listed = (await (await server.request('GET', `/api/treatments?patientRef=${PATIENT}`)).json()) as TreatmentView[];
    expect(listed.map((t) => t.id)).toEqual([treatment.id]);
    const audit = (await (await server.request('GET', '/api/audit?action=treatment.create')).json()) as Array<{ target: string }>;
    expect(audit.map((e) => e.target)).toEqual([treatment.id]);
  });

  it('a plan with a density of 140 dots/cm² is refused at regions.crown.density, and the stored plan is unchanged', async () => {
    const [plan] = (await createTreatment()).plans;
    const regions = { ...plan!.regions, crown: { ...plan!.regions.crown!, density: 140 } };
    const response = await putPlan(plan!.id, { template: plan!.template, regions });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid');
    expect(error.fields).toEqual({ 'regions.crown.density': 'above 100 dots/cm², closer than 1 mm dot spacing allows' });
    expect(await getPlan(plan!.id)).toEqual(plan);
    expect(count(server.dataDir, "SELECT count(*) AS n FROM audit WHERE action = 'plan.update'")).toBe(0);
  });

  it('a valid plan with a scar is stored as sent, and the change is audited as plan.update', async () => {
    const [plan] = (await createTreatment()).plans;
    const regions = {
      ...plan!.regions,
      crown: { ...plan!.regions.crown!, density: 50, skin: 'atrophic' as const, note: 'thin at the whorl' },
      'scar-strip': strip,
    };
    const response = await putPlan(plan!.id, { template: null, regions });
    expect(response.status).toBe(200);
    const saved = (await response.json()) as PlanView;
    expect(saved.template).toBeNull();
    expect(saved.regions).toEqual(regions);
    expect(saved.updatedAt).toBeGreaterThanOrEqual(plan!.updatedAt);
    expect(await getPlan(plan!.id)).toEqual(saved);

    const audit = (await (await server.request('GET', '/api/audit?action=plan.update')).json()) as Array<Record<string, unknown>>;
    expect(audit).toEqual([
      expect.objectContaining({ action: 'plan.update', target: plan!.id, actor: 'admin-token', detail: expect.objectContaining({ patientRef: PATIENT, session: 1 }) }),
    ]);
  });

  it('an operator may read a plan and its treatment but not change the plan', async () => {
    const treatment = await createTreatment();
    const [plan] = treatment.plans;
    const { chairId } = await chairWithDevice(server.api);
    const person = await server.request('POST', '/api/people', { name: 'Ana', role: 'operator', secret: '4821' });
    expect(person.status).toBe(201);
    const { id: personId } = (await person.json()) as { id: string };
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ personId, secret: '4821', chairId }),
    });
    expect(signIn.status).toBe(200);
    const headers = { cookie: signIn.headers.get('set-cookie')!.split(';')[0]!, origin: server.url, 'content-type': 'application/json' };

    const read = await fetch(`${server.url}/api/plans/${plan!.id}`, { headers });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(plan);
    expect((await fetch(`${server.url}/api/treatments/${treatment.id}`, { headers })).status).toBe(200);

    const regions = { ...plan!.regions, crown: { ...plan!.regions.crown!, density: 60 } };
    const write = await fetch(`${server.url}/api/plans/${plan!.id}`, { method: 'PUT', headers, body: JSON.stringify({ template: null, regions }) });
    expect(write.status).toBe(403);
    expect((await errorOf(write)).code).toBe('forbidden');
    expect(await getPlan(plan!.id)).toEqual(plan);
  });

  it('a session starts with a plan only for that plan\'s patient: another patient is a 409 at planId, an unknown plan a 404', async () => {
    const [plan] = (await createTreatment()).plans;
    const chair = await server.api.createChair('Chair 1');
    const start = (body: Record<string, unknown>) =>
      server.request('POST', '/api/sessions', { chairId: chair.id, operatorId: 'op-1', patientRef: PATIENT, planId: plan!.id, ...body });

    const other = await start({ patientRef: 'P-0099' });
    expect(other.status).toBe(409);
    const conflict = await errorOf(other);
    expect(conflict.code).toBe('conflict');
    expect(conflict.fields?.planId).toMatch(/is for patient P-0042, not P-0099/);

    const unknown = await start({ planId: 'pl_missing' });
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toEqual({ code: 'not_found', message: 'plan pl_missing does not exist' });
    expect((await server.api.chairs())[0]!.session).toBeNull();

    const started = await start({});
    expect(started.status).toBe(201);
    const session = (await started.json()) as { id: string; planId: string; patientRef: string };
    expect(session).toMatchObject({ planId: plan!.id, patientRef: PATIENT });
    expect(await (await server.request('GET', `/api/sessions/${session.id}`)).json()).toMatchObject({ planId: plan!.id });
  });

  it('dots with positions from a handpiece land once in the session\'s grid cells, and a restart reads the same counts', async () => {
    const [plan] = (await createTreatment()).plans;
    const ids = await chairWithDevice(server.api);
    const started = await server.request('POST', '/api/sessions', { chairId: ids.chairId, operatorId: 'op-1', patientRef: PATIENT, planId: plan!.id });
    expect(started.status).toBe(201);
    const { id: sessionId } = (await started.json()) as { id: string };

    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    device.send([
      dot(1, { x: 0.5, y: 0.7 }),
      dot(2, { x: 0.5, y: 0.7 }),
      dot(3, { x: 0.2, y: 0.3, region: 'temporal-left' }),
      dot(4, { x: undefined, y: undefined }),
      // The plan calls for 3 needles on the crown.
      dot(5, { x: 0.6, y: 0.65, needles: 1 }),
    ]);
    await device.acked(5);
    // A resend after a lost ack: acknowledged again, never counted twice.
    device.send([dot(2, { x: 0.5, y: 0.7 }), dot(6, { x: 1, y: 0.5, region: 'parietal-right' })]);
    await device.acked(6);

    const expectedCells = new Map<number, number>([
      [cellOf(0.5, 0.7), 2],
      [cellOf(0.2, 0.3), 1],
      [cellOf(0.6, 0.65), 1],
      [cellOf(1, 0.5), 1],
    ]);
    const cells = () =>
      new Map(
        query<{ cell: number; dots: number }>(
          server.dataDir,
          'SELECT cell, dots FROM session_cells WHERE session_key = (SELECT key FROM sessions WHERE id = ?) ORDER BY cell',
          sessionId,
        ).map((r) => [r.cell, r.dots]),
      );
    expect(cells()).toEqual(expectedCells);
    const expectedDots = { total: 6, byRegion: { crown: 4, 'temporal-left': 1, 'parietal-right': 1 } };
    const before = (await (await server.request('GET', `/api/sessions/${sessionId}`)).json()) as { dots: unknown };
    expect(before.dots).toEqual(expectedDots);

    // The dots went through the plan's guidance: one needles notice for the 1-needle dot.
    const needles = () =>
      count(server.dataDir, "SELECT count(*) AS n FROM guidance_events WHERE kind = 'needles' AND region = 'crown'");
    await waitFor(() => needles() === 1, 5_000, 'the needles guidance event');

    device.close();
    await device.closed();
    running = false;
    await server.close();
    server = await startTestServer({ dataDir: server.dataDir });
    running = true;

    const after = (await (await server.request('GET', `/api/sessions/${sessionId}`)).json()) as { dots: unknown };
    expect(after).toEqual(before);
    expect(cells()).toEqual(expectedCells);
    const tally = server.store.coverage.session(server.store.sessions.get(sessionId)!.key);
    expect(tally.total).toBe(6);
    expect(tally.cells[cellOf(0.5, 0.7)]).toBe(2);
    expect(needles()).toBe(1);
  });
});
