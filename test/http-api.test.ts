import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError } from '../server/protocol/api.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await server.dispose();
});

async function errorOf(response: Response) {
  return apiError.parse(await response.json()).error;
}

describe('HTTP API of protocol v1', () => {
  it('health answers without a token', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it.each([
    ['GET', '/api/chairs'],
    ['POST', '/api/chairs'],
    ['POST', '/api/devices'],
    ['POST', '/api/sessions'],
    ['GET', '/api/sessions/se_x'],
    ['POST', '/api/sessions/se_x/end'],
    ['GET', '/api/devices'],
    ['PUT', '/api/chairs/ch_x/region'],
  ])('%s %s refuses a caller without the admin token', async (method, path) => {
    for (const token of ['', 'not-the-token']) {
      const response = await server.request(method, path, method === 'GET' ? undefined : {}, token);
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe('unauthorized');
    }
  });

  it('a chair is created and listed', async () => {
    const created = await server.request('POST', '/api/chairs', { name: '  Chair by the window ' });
    expect(created.status).toBe(201);
    const chair = await created.json();
    expect(chair).toMatchObject({ id: expect.stringMatching(/^ch_/), name: 'Chair by the window' });
    expect(await server.api.chairs()).toEqual([
      expect.objectContaining({ id: chair.id, name: 'Chair by the window', devices: [], session: null }),
    ]);
  });

  it('a device token is shown once, at pairing, and never listed', async () => {
    const chair = await server.api.createChair('Chair 1');
    const response = await server.request('POST', '/api/devices', { chairId: chair.id, name: 'Handpiece 1' });
    expect(response.status).toBe(201);
    const paired = await response.json();
    expect(paired.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listings = JSON.stringify([await (await server.request('GET', '/api/devices')).json(), await server.api.chairs()]);
    expect(listings).toContain(paired.id);
    expect(listings).not.toContain(paired.token);
  });

  it('pairing a device to a chair that does not exist is a 404', async () => {
    const response = await server.request('POST', '/api/devices', { chairId: 'ch_missing', name: 'HP' });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');
  });

  it('one open session per chair: a second start is a 409', async () => {
    const chair = await server.api.createChair('Chair 1');
    const body = { chairId: chair.id, operatorId: 'op-1', patientRef: 'P-0001' };
    expect((await server.request('POST', '/api/sessions', body)).status).toBe(201);
    const second = await server.request('POST', '/api/sessions', body);
    expect(second.status).toBe(409);
    expect((await errorOf(second)).code).toBe('conflict');
  });

  it('a session is started, read with its dot counts, and ended', async () => {
    const chair = await server.api.createChair('Chair 1');
    const started = await server.api.startSession({ chairId: chair.id, operatorId: 'op-1', patientRef: 'P-0001' });
    expect(started).toMatchObject({ chairId: chair.id, endedAt: null, dots: { total: 0, byRegion: {} } });
    const ended = await server.api.endSession(started.id);
    expect(ended.endedAt).toBeGreaterThanOrEqual(started.startedAt);
    expect(await server.api.session(started.id)).toEqual(ended);
    // Ending twice changes nothing: a retried request on clinic Wi-Fi is harmless.
    expect(await server.api.endSession(started.id)).toEqual(ended);
    // A new session may start once the old one ended.
    expect((await server.request('POST', '/api/sessions', { chairId: chair.id, operatorId: 'op-2', patientRef: 'P-0002' })).status).toBe(201);
  });

  it('an unknown session is a 404 with the error shape', async () => {
    const response = await server.request('GET', '/api/sessions/se_nope');
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: 'not_found', message: 'session se_nope does not exist' });
  });

  it.each([
    ['a patient name instead of a code', { operatorId: 'op-1', patientRef: 'Jane Doe' }, 'patientRef'],
    ['no operator', { operatorId: '', patientRef: 'P-1' }, 'operatorId'],
    ['no patient reference', { operatorId: 'op-1' }, 'patientRef'],
  ])('a session body with %s is refused with a message for that field, and nothing is saved', async (_name, fields, field) => {
    const chair = await server.api.createChair('Chair 1');
    const response = await server.request('POST', '/api/sessions', { chairId: chair.id, ...fields });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid');
    expect(Object.keys(error.fields ?? {})).toEqual([field]);
    expect((await server.api.chairs())[0]!.session).toBeNull();
  });

  it('a body that is not JSON is refused with invalid_json', async () => {
    const response = await server.request('POST', '/api/chairs', '{"name":');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_json');
  });

  it('a chair without a name is refused with a field message', async () => {
    const response = await server.request('POST', '/api/chairs', { name: '   ' });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).fields).toEqual({ name: 'a chair needs a name' });
  });

  it('selecting an unknown region is refused', async () => {
    const chair = await server.api.createChair('Chair 1');
    const response = await server.request('PUT', `/api/chairs/${chair.id}/region`, { region: 'forehead' });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).fields).toHaveProperty('region');
  });

  it('a session with a plan that does not exist is refused', async () => {
    const chair = await server.api.createChair('Chair 1');
    const response = await server.request('POST', '/api/sessions', { chairId: chair.id, operatorId: 'op-1', patientRef: 'P-1', planId: 'pl_x' });
    expect(response.status).toBe(404);
  });

  it('an unknown route answers 404 in the error shape', async () => {
    const response = await server.request('GET', '/api/nothing-here');
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');
  });

  it('the admin token from the environment is the one that works', async () => {
    expect((await server.request('GET', '/api/chairs', undefined, ADMIN_TOKEN)).status).toBe(200);
  });
});
