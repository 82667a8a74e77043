import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../server/auth/roles.ts';
import { PUBLIC_ROUTES, ROUTE_RULES } from '../server/http/route-rules.ts';
import { ADMIN_TOKEN, chairWithDevice, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
const cookies = {} as Record<Role, string>;
let ownChair: string;
let otherChair: string;

async function signIn(body: unknown): Promise<Response> {
  return fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify(body),
  });
}

async function addPerson(name: string, role: Role, secret: string): Promise<string> {
  const response = await server.request('POST', '/api/people', { name, role, secret });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

beforeAll(async () => {
  server = await startTestServer();
  ownChair = (await chairWithDevice(server.api, 'Chair 1')).chairId;
  otherChair = (await chairWithDevice(server.api, 'Chair 2')).chairId;
  const people = {
    operator: { id: await addPerson('Ana', 'operator', '4821'), secret: '4821' },
    supervisor: { id: await addPerson('Sam', 'supervisor', 'lead-of-the-floor'), secret: 'lead-of-the-floor' },
    admin: { id: await addPerson('Alex', 'admin', 'keeper-of-keys'), secret: 'keeper-of-keys' },
  };
  for (const role of ['operator', 'supervisor', 'admin'] as const) {
    const response = await signIn({ personId: people[role].id, secret: people[role].secret, chairId: ownChair });
    expect(response.status).toBe(200);
    cookies[role] = response.headers.get('set-cookie')!.split(';')[0]!;
  }
});
afterAll(async () => {
  await server.dispose();
});

function call(route: string, role: Role): Promise<Response> {
  const [method, path] = route.split(' ') as [string, string];
  const url = path.replace(':id', method === 'PUT' ? ownChair : 'xx_missing');
  return fetch(`${server.url}${url}`, {
    method,
    headers: { cookie: cookies[role], origin: server.url, 'content-type': 'application/json' },
    ...(method === 'GET' ? {} : { body: '{}' }),
  });
}

describe('who may call what', () => {
  it('every API route has an access rule: a new route without one fails here', () => {
    const ruled = new Set([...Object.keys(ROUTE_RULES), ...PUBLIC_ROUTES]);
    expect(server.apiRoutes.filter((route) => !ruled.has(route))).toEqual([]);
    expect([...ruled].filter((route) => !server.apiRoutes.includes(route))).toEqual([]);
  });

  const cases = Object.entries(ROUTE_RULES).flatMap(([route, allowed]) =>
    (['operator', 'supervisor', 'admin'] as const).map((role) => [route, role, allowed.includes(role)] as const),
  );
  it.each(cases)('%s as %s: allowed %s', async (route, role, allowed) => {
    const response = await call(route, role);
    if (allowed) expect([401, 403]).not.toContain(response.status);
    else expect(response.status).toBe(403);
  });

  it('an operator acts only on the chair their tablet was signed in for', async () => {
    const headers = { cookie: cookies.operator, origin: server.url, 'content-type': 'application/json' };
    const start = (chairId: string) =>
      fetch(`${server.url}/api/sessions`, { method: 'POST', headers, body: JSON.stringify({ chairId, patientRef: 'P-1' }) });
    expect((await start(otherChair)).status).toBe(403);
    expect((await start(ownChair)).status).toBe(201);
    const seen = (await (await fetch(`${server.url}/api/chairs`, { headers })).json()) as Array<{ id: string }>;
    expect(seen.map((c) => c.id)).toEqual([ownChair]);
  });

  it('the admin token still works for integrations and scripts', async () => {
    expect((await server.request('GET', '/api/people', undefined, ADMIN_TOKEN)).status).toBe(200);
  });
});
