import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { liveServerMessage, type LiveServerMessage } from '../server/protocol/live.ts';
import { dot, RawDevice } from './helpers/raw-device.ts';
import { ADMIN_TOKEN, chairWithDevice, startTestServer, waitFor, type TestServer } from './helpers/server.ts';

let server: TestServer;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await server.dispose();
});

async function sessionCookie(): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ token: ADMIN_TOKEN }),
  });
  expect(response.status).toBe(200);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

/** Opens /ws/live as a browser would; resolves with the upgrade's HTTP status when it is refused. */
function openLive(headers: Record<string, string>): Promise<{ socket: WebSocket; messages: LiveServerMessage[] } | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws/live`, { headers });
    sockets.push(socket);
    const messages: LiveServerMessage[] = [];
    socket.on('message', (data) => messages.push(liveServerMessage.parse(JSON.parse(data.toString()))));
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => resolve({ socket, messages }));
    socket.on('error', () => {});
  });
}

describe('the live channel for browsers', () => {
  it('refuses a browser that has not signed in', async () => {
    expect(await openLive({ origin: server.url })).toBe(401);
  });

  it('refuses a page from another origin even with a valid session cookie', async () => {
    const cookie = await sessionCookie();
    expect(await openLive({ cookie, origin: 'http://evil.example' })).toBe(403);
  });

  it('sends a snapshot on subscribe, then the chair as its dots arrive', async () => {
    const ids = await chairWithDevice(server.api);
    const session = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-1' });
    const live = await openLive({ cookie: await sessionCookie(), origin: server.url });
    if (typeof live === 'number') throw new Error(`refused with ${live}`);
    live.socket.send(JSON.stringify({ type: 'subscribe', scope: 'all' }));
    const snapshot = await waitFor(() => live.messages.find((m) => m.type === 'snapshot'));
    expect(snapshot.chairs.map((c) => [c.id, c.session?.id])).toEqual([[ids.chairId, session.id]]);

    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    device.send([dot(1), dot(2)]);
    await waitFor(() => live.messages.some((m) => m.type === 'update' && m.chairs.some((c) => c.session?.dots.total === 2)), 5_000, 'the dots');
    device.close();
  });

  it('a bad subscription gets an error and the socket stays usable', async () => {
    const live = await openLive({ cookie: await sessionCookie(), origin: server.url });
    if (typeof live === 'number') throw new Error(`refused with ${live}`);
    live.socket.send('{"type":"subscribe","scope":"everything"}');
    await waitFor(() => live.messages.find((m) => m.type === 'error'));
    live.socket.send(JSON.stringify({ type: 'subscribe', scope: 'all' }));
    await waitFor(() => live.messages.find((m) => m.type === 'snapshot'));
  });

  it('a session cookie cannot change anything from another origin', async () => {
    const cookie = await sessionCookie();
    const response = await fetch(`${server.url}/api/chairs`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Injected' }),
    });
    expect(response.status).toBe(401);
    expect(await server.api.chairs()).toEqual([]);
  });

  it('signing out ends the browser session', async () => {
    const cookie = await sessionCookie();
    const headers = { cookie, origin: server.url };
    expect((await fetch(`${server.url}/api/chairs`, { headers })).status).toBe(200);
    await fetch(`${server.url}/api/auth/sign-out`, { method: 'POST', headers });
    expect((await fetch(`${server.url}/api/chairs`, { headers })).status).toBe(401);
  });

  it('a chair\'s tablet gets its session grid, then the cells that gain dots; the patient\'s next session starts with the earlier one counted', async () => {
    const ids = await chairWithDevice(server.api);
    const first = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-9' });
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    device.send([dot(1, { region: 'crown', x: 0.5, y: 0.7 }), dot(2, { region: 'crown', x: 0.5, y: 0.7 }), dot(3, { region: 'occipital', x: 0.5, y: 0.9 })]);
    await device.acked(3);

    const live = await openLive({ cookie: await sessionCookie(), origin: server.url });
    if (typeof live === 'number') throw new Error(`refused with ${live}`);
    live.socket.send(JSON.stringify({ type: 'subscribe', scope: 'chair', chairId: ids.chairId }));
    const snapshot = await waitFor(() => live.messages.find((m) => m.type === 'snapshot'));
    // Cell 28 * 40 + 20 holds (0.5, 0.7); cell 36 * 40 + 20 holds (0.5, 0.9).
    expect(snapshot.cells[ids.chairId]).toEqual({ session: [[1140, 2], [1460, 1]], earlier: [] });

    device.send(dot(4, { region: 'crown', x: 0.51, y: 0.71 }));
    const cells = await waitFor(() => live.messages.find((m) => m.type === 'update' && m.detail?.cells), 5_000, 'a cells update');
    expect(cells.type === 'update' && cells.detail).toMatchObject({ chairId: ids.chairId, cells: { sessionId: first.id, counts: [[1140, 3]] } });

    await server.api.endSession(first.id);
    const second = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-2', patientRef: 'P-9' });
    // The new session brings a fresh snapshot: an empty grid of its own, the first session's as earlier.
    const fresh = await waitFor(() => live.messages.findLast((m) => m.type === 'snapshot' && m.chairs[0]?.session?.id === second.id), 5_000, 'a snapshot of the new session');
    if (fresh.type !== 'snapshot') throw new Error('not a snapshot');
    expect(fresh.cells[ids.chairId]).toEqual({ session: [], earlier: [[1140, 3], [1460, 1]] });
    expect(fresh.chairs[0]!.session!.dotsBefore).toEqual({ crown: 3, occipital: 1 });
    device.close();
  });
});
