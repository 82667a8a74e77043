import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDemoPeople } from '../device-sim/demo-people.ts';
import { setupChecklist, type SetupChecklist } from '../server/protocol/setup.ts';
import { RawDevice } from './helpers/raw-device.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.dispose();
});

async function checklist(): Promise<SetupChecklist> {
  const response = await server.request('GET', '/api/setup/checklist');
  expect(response.status).toBe(200);
  return setupChecklist.parse(await response.json());
}

const step = async (id: string) => (await checklist()).steps.find((s) => s.id === id)!;

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const response = await server.request(method, path, body);
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return response;
}

/** Signs a person in as a browser would; the answer's cookie. */
async function signedIn(personId: string, secret: string, chairId?: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ personId, secret, chairId }),
  });
  expect(response.status).toBe(200);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

const auditActions = async () => ((await (await server.request('GET', '/api/audit')).json()) as Array<{ action: string; detail: Record<string, unknown> }>);

describe('the first-run checklist', () => {
  it('ticks each step from the clinic\'s real state, and closes for good once all are done', async () => {
    const fresh = await checklist();
    expect(fresh.closed).toBeNull();
    expect(fresh.steps.filter((s) => s.done)).toEqual([]);

    await call('PUT', '/api/clinic', { name: '  Northside SMP  ' });
    expect(await step('clinic')).toMatchObject({ done: true, detail: 'The wall shows “Northside SMP”' });
    expect(await (await server.request('GET', '/api/clinic')).json()).toEqual({ name: 'Northside SMP' });

    const chair = await server.api.createChair('Chair 1');
    expect((await step('chairs')).done).toBe(true);
    expect(await step('handpieces')).toMatchObject({ done: false, detail: 'Chair 1 has no handpiece' });

    const paired = await server.api.pairDevice(chair.id, 'Handpiece 1');
    expect(await step('handpieces')).toMatchObject({ done: false, detail: 'Chair 1: paired, not connected yet' });
    const { device } = await RawDevice.hello(server.deviceUrl, paired.id, paired.token);
    device.close();
    expect(await step('handpieces')).toMatchObject({ done: true, detail: 'The handpiece has connected' });

    await call('POST', '/api/people', { name: 'Ana', role: 'operator', secret: '4821' });
    expect((await step('people')).done).toBe(false);
    await call('POST', '/api/people', { name: 'Sam', role: 'supervisor', secret: 'lead-of-the-floor' });
    expect((await step('people')).done).toBe(true);

    // Saving a setting as it is counts as its review: the defaults may be right for the clinic.
    await call('PUT', '/api/breaks/policy', await (await call('GET', '/api/breaks/policy')).json());
    expect((await step('breaks')).done).toBe(true);
    expect((await checklist()).closed).toBeNull();
    await call('PUT', '/api/alarms/settings', await (await call('GET', '/api/alarms/settings')).json());
    const done = await checklist();
    expect(done.steps.every((s) => s.done)).toBe(true);
    expect(done.closed).toBe('complete');

    // A chair added later shows in the steps but brings no first-run checklist back.
    await server.api.createChair('Chair 2');
    const later = await checklist();
    expect(later.steps.find((s) => s.id === 'handpieces')!.done).toBe(false);
    expect(later.closed).toBe('complete');
  });

  it('a revoked handpiece no longer counts, and a disabled person no longer counts', async () => {
    const chair = await server.api.createChair('Chair 1');
    const paired = await server.api.pairDevice(chair.id, 'Handpiece 1');
    const { device } = await RawDevice.hello(server.deviceUrl, paired.id, paired.token);
    expect((await step('handpieces')).done).toBe(true);
    await call('POST', `/api/devices/${paired.id}/revoke`, {});
    await device.closed();
    expect(await step('handpieces')).toMatchObject({ done: false, detail: 'Chair 1 has no handpiece' });

    const ana = (await (await call('POST', '/api/people', { name: 'Ana', role: 'operator', secret: '4821' })).json()) as { id: string };
    await call('POST', '/api/people', { name: 'Alex', role: 'admin', secret: 'keeper-of-keys' });
    expect(await step('people')).toMatchObject({ done: true, detail: '1 operator with a PIN, 1 supervisor with a password' });
    await call('POST', `/api/people/${ana.id}/disable`, {});
    expect(await step('people')).toMatchObject({ done: false, detail: 'No operator yet, 1 supervisor with a password' });
  });

  it('is for admins: supervisors and operators are refused it, while everyone signed in may read the clinic\'s name', async () => {
    const chair = await server.api.createChair('Chair 1');
    const ana = (await (await call('POST', '/api/people', { name: 'Ana', role: 'operator', secret: '4821' })).json()) as { id: string };
    const sam = (await (await call('POST', '/api/people', { name: 'Sam', role: 'supervisor', secret: 'lead-of-the-floor' })).json()) as { id: string };
    const alex = (await (await call('POST', '/api/people', { name: 'Alex', role: 'admin', secret: 'keeper-of-keys' })).json()) as { id: string };
    const cookies = {
      operator: await signedIn(ana.id, '4821', chair.id),
      supervisor: await signedIn(sam.id, 'lead-of-the-floor'),
      admin: await signedIn(alex.id, 'keeper-of-keys'),
    };
    const get = (path: string, cookie: string) => fetch(`${server.url}${path}`, { headers: { cookie } });
    expect((await get('/api/setup/checklist', cookies.operator)).status).toBe(403);
    expect((await get('/api/setup/checklist', cookies.supervisor)).status).toBe(403);
    expect((await get('/api/setup/checklist', cookies.admin)).status).toBe(200);
    expect((await fetch(`${server.url}/api/setup/checklist`)).status).toBe(401);
    for (const cookie of Object.values(cookies)) expect((await get('/api/clinic', cookie)).status).toBe(200);

    const rename = (cookie: string) =>
      fetch(`${server.url}/api/clinic`, { method: 'PUT', headers: { cookie, origin: server.url, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Elsewhere' }) });
    expect((await rename(cookies.supervisor)).status).toBe(403);
    expect((await rename(cookies.admin)).status).toBe(200);
  });

  it('a clinic name is refused when empty, and each rename is in the audit trail', async () => {
    const empty = await server.request('PUT', '/api/clinic', { name: '   ' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({ name: 'the clinic needs a name' });
    expect(await (await server.request('GET', '/api/clinic')).json()).toEqual({ name: null });
    await call('PUT', '/api/clinic', { name: 'Northside SMP' });
    expect((await auditActions()).filter((e) => e.action === 'clinic.name').map((e) => e.detail.name)).toEqual(['Northside SMP']);
  });

  it('an admin may dismiss it unfinished: recorded, audited once, and the steps still reported', async () => {
    const dismissed = setupChecklist.parse(await (await call('POST', '/api/setup/dismiss')).json());
    expect(dismissed.closed).toBe('dismissed');
    expect(dismissed.steps).toHaveLength(6);
    expect((await checklist()).closed).toBe('dismissed');
    await call('POST', '/api/setup/dismiss');
    const entries = (await auditActions()).filter((e) => e.action === 'setup.dismiss');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.detail.stepsLeft).toEqual(['clinic', 'chairs', 'handpieces', 'people', 'breaks', 'alarms']);
  });
});

describe('npm run demo\'s people', () => {
  it('a demo operator and supervisor who can sign in; the next run disables them and makes a new pair', async () => {
    const chair = await server.api.createChair('Chair 1');
    const first = await addDemoPeople(server.api);
    expect(first.operator.secret).toMatch(/^\d{4}$/);
    expect(first.supervisor.secret.length).toBeGreaterThanOrEqual(10);
    const active = async () => (await server.api.people()).filter((p) => p.disabledAt === null);
    const firstIds = await active();
    expect(firstIds.map((p) => [p.name, p.role])).toEqual([['Demo operator', 'operator'], ['Demo supervisor', 'supervisor']]);
    const id = (name: string, people: typeof firstIds) => people.find((p) => p.name === name)!.id;
    await signedIn(id('Demo operator', firstIds), first.operator.secret, chair.id);
    await signedIn(id('Demo supervisor', firstIds), first.supervisor.secret);

    const second = await addDemoPeople(server.api);
    const secondIds = await active();
    expect(secondIds).toHaveLength(2);
    expect(secondIds.map((p) => p.id)).not.toContain(id('Demo operator', firstIds));
    await signedIn(id('Demo operator', secondIds), second.operator.secret, chair.id);
    await signedIn(id('Demo supervisor', secondIds), second.supervisor.secret);
  });
});
