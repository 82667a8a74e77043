import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, query } from './helpers/database.ts';
import { dot, RawDevice } from './helpers/raw-device.ts';
import { chairWithDevice, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.dispose();
});

const signIn = (body: unknown) =>
  fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(body) });

async function operator(chairId: string) {
  const response = await server.request('POST', '/api/people', { name: 'Ana', role: 'operator', secret: '4821' });
  const { id } = (await response.json()) as { id: string };
  return { id, chairId };
}

describe('people and sign-in', () => {
  it('an operator signs in with name and PIN for the tablet\'s chair; the cookie is HttpOnly and Strict', async () => {
    const { chairId } = await chairWithDevice(server.api);
    const ana = await operator(chairId);
    const response = await signIn({ personId: ana.id, secret: '4821', chairId });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ role: 'operator', name: 'Ana', chairId });
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(response.headers.get('set-cookie')).not.toContain('4821');
  });

  it('wrong PINs lock the person out, and the refusal says when to try again', async () => {
    const { chairId } = await chairWithDevice(server.api);
    const ana = await operator(chairId);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn({ personId: ana.id, secret: '0000', chairId })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const locked = await signIn({ personId: ana.id, secret: '4821', chairId });
    expect(locked.status).toBe(429);
    const body = (await locked.json()) as { error: { message: string; fields: Record<string, string> } };
    expect(body.error.message).toMatch(/try again in \d+ s/);
    expect(body.error.fields.secret).toMatch(/try again in/);
  });

  it('PINs and passwords are stored only as slow hashes', async () => {
    const { chairId } = await chairWithDevice(server.api);
    await operator(chairId);
    const [row] = query<{ secret_hash: string }>(server.dataDir, 'SELECT secret_hash FROM people');
    expect(row!.secret_hash).toMatch(/^scrypt\$/);
    expect(row!.secret_hash).not.toContain('4821');
  });

  it.each([
    ['a PIN that is not 4–8 digits', { name: 'Bo', role: 'operator', secret: '12ab' }, 'secret'],
    ['a short password', { name: 'Bo', role: 'supervisor', secret: 'short' }, 'secret'],
    ['no name', { name: ' ', role: 'admin', secret: 'long-enough-pass' }, 'name'],
    ['an unknown role', { name: 'Bo', role: 'owner', secret: 'long-enough-pass' }, 'role'],
  ])('adding a person with %s is refused at that field, and nobody is added', async (_name, body, field) => {
    const response = await server.request('POST', '/api/people', body);
    expect(response.status).toBe(400);
    expect(Object.keys(((await response.json()) as { error: { fields: object } }).error.fields)).toEqual([field]);
    expect(count(server.dataDir, 'SELECT count(*) AS n FROM people')).toBe(0);
  });

  it('a disabled person\'s sessions end at once', async () => {
    const { chairId } = await chairWithDevice(server.api);
    const ana = await operator(chairId);
    const cookie = (await signIn({ personId: ana.id, secret: '4821', chairId })).headers.get('set-cookie')!.split(';')[0]!;
    const headers = { cookie, origin: server.url };
    expect((await fetch(`${server.url}/api/chairs`, { headers })).status).toBe(200);
    await server.request('POST', `/api/people/${ana.id}/disable`, {});
    expect((await fetch(`${server.url}/api/chairs`, { headers })).status).toBe(401);
  });
});

describe('device trust', () => {
  it('a revoked device is cut off at once with 4401 and cannot reconnect', async () => {
    const ids = await chairWithDevice(server.api);
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    device.send(dot(1));
    await device.acked(1);
    expect((await server.request('POST', `/api/devices/${ids.deviceId}/revoke`, {})).status).toBe(200);
    expect(await device.closed()).toBe(4401);
    const again = await RawDevice.connect(server.deviceUrl);
    again.send({ type: 'hello', v: 1, deviceId: ids.deviceId, token: ids.token });
    expect(await again.closed()).toBe(4401);
  });

  it('a rotated token closes the old socket; the old token is refused and the new one works', async () => {
    const ids = await chairWithDevice(server.api);
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    const rotated = (await (await server.request('POST', `/api/devices/${ids.deviceId}/rotate`, {})).json()) as { token: string };
    expect(await device.closed()).toBe(4401);
    const old = await RawDevice.connect(server.deviceUrl);
    old.send({ type: 'hello', v: 1, deviceId: ids.deviceId, token: ids.token });
    expect(await old.closed()).toBe(4401);
    const fresh = await RawDevice.hello(server.deviceUrl, ids.deviceId, rotated.token);
    expect(fresh.welcome.type).toBe('welcome');
    fresh.device.close();
  });
});

describe('the audit trail', () => {
  it('records who paired, started, selected, ended and revoked, and exports it as CSV', async () => {
    const ids = await chairWithDevice(server.api);
    const session = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-1' });
    await server.request('PUT', `/api/chairs/${ids.chairId}/region`, { region: 'crown' });
    await server.api.endSession(session.id);
    await server.request('POST', `/api/devices/${ids.deviceId}/revoke`, {});
    const entries = (await (await server.request('GET', '/api/audit')).json()) as Array<{ action: string; actor: string; target: string }>;
    expect(entries.map((e) => e.action).reverse()).toEqual(['chair.add', 'device.pair', 'session.start', 'region.select', 'session.end', 'device.revoke']);
    expect(entries.every((e) => e.actor === 'admin-token')).toBe(true);

    const filtered = (await (await server.request('GET', '/api/audit?action=session.start')).json()) as unknown[];
    expect(filtered).toHaveLength(1);
    const csv = await (await server.request('GET', '/api/audit?format=csv')).text();
    expect(csv.split('\r\n')[0]).toBe('time,actor,action,target,detail');
    expect(csv).toContain('"session.start"');
  });

  it('cannot be changed after the fact', async () => {
    await server.api.createChair('Chair 1');
    expect(() => server.store.db.prepare("UPDATE audit SET actor = 'someone else'").run()).toThrow(/append-only/);
    expect(() => server.store.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
  });
});
