import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../device-sim/simulator.ts';
import type { DeviceData } from '../device-sim/device-client.ts';
import { sessionExport, sessionReport, type SessionReport } from '../server/protocol/report.ts';
import { query } from './helpers/database.ts';
import { dot, RawDevice } from './helpers/raw-device.ts';
import { ADMIN_TOKEN, chairWithDevice, startTestServer, waitFor, type TestServer } from './helpers/server.ts';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

let worked: Awaited<ReturnType<typeof finishedSession>>;
const shared: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  worked = await finishedSession(shared);
});
afterAll(async () => {
  for (const step of shared.splice(0).reverse()) await step();
});

/** A simulated handpiece works a session on the real server, and the session ends; what it sent, counted. */
async function finishedSession(cleanup: Array<() => Promise<void> | void>) {
  const server = await startTestServer();
  cleanup.push(() => server.dispose());
  const simulator = await Simulator.start({
    serverUrl: server.url, adminToken: ADMIN_TOKEN, chairs: 1, speed: 20, seed: 5, scenario: 'steady',
    startSessions: true, tickMs: 20, reconnect: { initialMs: 50, maxMs: 500 },
  });
  cleanup.push(() => simulator.stop());
  // What the handpiece sends, as (region, needles) counts: the device's side of the comparison.
  const sent = new Map<string, number>();
  const chair = simulator.chairs[0]!;
  const send = chair.client.send.bind(chair.client);
  chair.client.send = (data: readonly DeviceData[]) => {
    for (const message of data) if (message.type === 'dot') sent.set(`${message.region}/${message.needles}`, (sent.get(`${message.region}/${message.needles}`) ?? 0) + 1);
    send(data);
  };
  await waitFor(() => chair.dotsMade > 150, 20_000, 'a few regions of work');
  simulator.halt();
  await simulator.delivered();
  const chairs = await server.api.chairs();
  const sessionId = chairs[0]!.session!.id;
  await server.api.endSession(sessionId);
  return { server, sessionId, sent };
}

async function report(server: TestServer, sessionId: string): Promise<SessionReport> {
  const response = await server.request('GET', `/api/sessions/${sessionId}/report`);
  expect(response.status).toBe(200);
  return sessionReport.parse(await response.json());
}

describe('the session record', () => {
  it('a simulated session\'s report has the totals, region counts and needle groupings the device sent and the store holds', async () => {
    const { server, sessionId, sent } = worked;
    const record = await report(server, sessionId);
    const stored = query<{ region: string; needles: number; n: number }>(
      server.dataDir,
      'SELECT region, needles, count(*) AS n FROM dots WHERE session_key = (SELECT key FROM sessions WHERE id = ?) GROUP BY region, needles',
      sessionId,
    );
    const fromReport = new Map(record.regions.flatMap((r) => Object.entries(r.needles).map(([needles, n]) => [`${r.region}/${needles}`, n] as const)));
    expect(fromReport).toEqual(new Map(stored.map((s) => [`${s.region}/${s.needles}`, s.n])));
    expect(fromReport).toEqual(sent);
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    expect(record.totals.placedDots).toBe(total);
    expect((await server.api.session(sessionId)).dots.total).toBe(total);
    for (const region of record.regions) expect(region.placedDots).toBe(Object.values(region.needles).reduce((a, b) => a + b, 0));
    expect(record.session.needleMs).toBeGreaterThan(0);
    expect(record.session.endedAt).not.toBeNull();
  });

  it('the CSV of dots has a header and exactly one row per dot; the JSON bundle validates against its schema', async () => {
    const { server, sessionId } = worked;
    const csv = await (await server.request('GET', `/api/sessions/${sessionId}/export/dots.csv`)).text();
    const lines = csv.split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toBe('time,device_seq,region,x,y,cycles,dwell_ms,needles');
    expect(lines.length - 1).toBe((await server.api.session(sessionId)).dots.total);
    expect(lines[1]).toMatch(/^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",\d+,"[a-z-]+",/);
    // Every row's time is its dot's own, in ISO 8601.
    const stored = query<{ made_at: number }>(server.dataDir, 'SELECT made_at FROM dots WHERE session_key = (SELECT key FROM sessions WHERE id = ?) ORDER BY made_at, device_key, seq', sessionId);
    expect(lines.slice(1).map((line) => line.slice(1, 25))).toEqual(stored.map((d) => new Date(d.made_at).toISOString()));
    const telemetry = await (await server.request('GET', `/api/sessions/${sessionId}/export/telemetry.csv`)).text();
    expect(telemetry.split('\r\n')[0]).toBe('second,samples,running_share,cycle_hz_mean,cycle_hz_min,cycle_hz_max,needles');
    expect(telemetry.split('\r\n').length).toBeGreaterThan(2);

    const bundle = sessionExport.parse(await (await server.request('GET', `/api/sessions/${sessionId}/export.json`)).json());
    expect(bundle.version).toBe(1);
    const audit = (await (await server.request('GET', '/api/audit?action=session.export')).json()) as Array<{ detail: { kind: string } }>;
    expect(audit.map((a) => a.detail.kind).sort()).toEqual(['dots', 'json', 'telemetry']);
  });

  it('a signed-off report refuses changes', async () => {
    const { server, sessionId } = worked;
    expect((await server.request('PUT', `/api/sessions/${sessionId}/review/note`, { note: 'Even fill; crown to revisit.' })).status).toBe(200);
    expect((await server.request('POST', `/api/sessions/${sessionId}/review/sign-off`, {})).status).toBe(200);
    const changed = await server.request('PUT', `/api/sessions/${sessionId}/review/note`, { note: 'rewritten' });
    expect(changed.status).toBe(409);
    expect((await server.request('POST', `/api/sessions/${sessionId}/review/sign-off`, {})).status).toBe(409);
    const record = await report(server, sessionId);
    expect(record.review).toMatchObject({ note: 'Even fill; crown to revisit.', signedOffBy: 'admin token' });
    expect(() => server.store.db.prepare("UPDATE session_reviews SET note = 'forged'").run()).toThrow(/read-only/);
  });

  it('an operator of another chair is refused the report and the exports; the session\'s own operator on its chair is not', async () => {
    const server = await startTestServer();
    cleanup.push(() => server.dispose());
    const own = await server.api.createChair('Chair 1');
    const other = await server.api.createChair('Chair 2');
    const person = async (name: string, pin: string) =>
      ((await (await server.request('POST', '/api/people', { name, role: 'operator', secret: pin })).json()) as { id: string }).id;
    const ana = await person('Ana', '4821');
    const ben = await person('Ben', '5932');
    const session = await server.api.startSession({ chairId: own.id, operatorId: ana, patientRef: 'P-1' });
    // Cleo took the chair over from Ana: both operated the session.
    const cleo = await person('Cleo', '6043');
    expect((await server.request('POST', `/api/sessions/${session.id}/handover`, { operatorId: cleo })).status).toBe(200);
    await server.api.endSession(session.id);
    const cookie = async (personId: string, secret: string, chairId: string) => {
      const response = await fetch(`${server.url}/api/auth/sign-in`, {
        method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ personId, secret, chairId }),
      });
      return response.headers.get('set-cookie')!.split(';')[0]!;
    };
    const asBen = await cookie(ben, '5932', other.id);
    const asAna = await cookie(ana, '4821', own.id);
    const asCleo = await cookie(cleo, '6043', own.id);
    const asBenHere = await cookie(ben, '5932', own.id);
    for (const path of ['report', 'replay', 'cycle-rate', 'export.json', 'export/dots.csv', 'export/alarms.csv']) {
      const status = async (cookie: string) => (await fetch(`${server.url}/api/sessions/${session.id}/${path}`, { headers: { cookie } })).status;
      expect(await status(asBen), path).toBe(403);
      // On the right chair, but not one of the session's operators.
      expect(await status(asBenHere), path).toBe(403);
      expect(await status(asAna), path).toBe(200);
      expect(await status(asCleo), path).toBe(200);
    }
  });

  it('a dot resent late into an ended session shows in its report, however often the report was opened', async () => {
    const server = await startTestServer();
    cleanup.push(() => server.dispose());
    const ids = await chairWithDevice(server.api);
    const session = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-1' });
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    const madeAt = Date.now();
    for (let seq = 1; seq <= 3; seq++) device.send(dot(seq, { ts: madeAt + seq }));
    await device.acked(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.api.endSession(session.id);
    expect((await report(server, session.id)).totals.placedDots).toBe(3);
    expect((await report(server, session.id)).totals.placedDots).toBe(3);
    // Made during the session, delivered after it ended (a handpiece's outbox after a Wi-Fi drop).
    device.send(dot(4, { ts: madeAt + 4, region: 'occipital' }));
    await device.acked(4);
    const again = await report(server, session.id);
    expect(again.totals.placedDots).toBe(4);
    expect(again.regions.find((r) => r.region === 'occipital')?.placedDots).toBe(1);
    device.close();
  });

  it('the session list is searched by patient code, chair, operator and dates', async () => {
    const server = await startTestServer();
    cleanup.push(() => server.dispose());
    const one = await chairWithDevice(server.api, 'Chair 1');
    const two = await chairWithDevice(server.api, 'Chair 2');
    const a = await server.api.startSession({ chairId: one.chairId, operatorId: 'op-a', patientRef: 'P-1' });
    const b = await server.api.startSession({ chairId: two.chairId, operatorId: 'op-b', patientRef: 'P-2' });
    const ids = async (query: string) =>
      ((await (await server.request('GET', `/api/sessions?${query}`)).json()) as Array<{ id: string }>).map((s) => s.id).sort();
    expect(await ids('')).toEqual([a.id, b.id].sort());
    expect(await ids('patientRef=P-2')).toEqual([b.id]);
    expect(await ids(`chairId=${one.chairId}`)).toEqual([a.id]);
    expect(await ids('operatorId=op-a')).toEqual([a.id]);
    expect(await ids(`from=${Date.now() + 60_000}`)).toEqual([]);
    expect(await ids(`to=${Date.now() + 60_000}&patientRef=P-1`)).toEqual([a.id]);
  });
});
