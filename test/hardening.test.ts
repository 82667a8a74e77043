import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Clock } from '../server/clock.ts';
import { defaultLiveChannel } from '../server/live/live-channel.ts';
import { LiveCloseCode, liveServerMessage, type LiveServerMessage } from '../server/protocol/live.ts';
import { RawDevice } from './helpers/raw-device.ts';
import { ADMIN_TOKEN, chairWithDevice, startTestServer, waitFor, type TestServer } from './helpers/server.ts';
import type { ServerOptions } from '../server/app.ts';

let server: TestServer;
const sockets: WebSocket[] = [];

async function start(options: Partial<ServerOptions> = {}) {
  server = await startTestServer(options);
  return server;
}
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await server.dispose();
});

/** A clock the test moves by hand. */
function handClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, scale: 1, advance: (ms) => (now += ms) };
}

/** A sign-in from the server's own page, optionally from another loopback address (another host). */
function signIn(body: unknown, localAddress = '127.0.0.1'): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return raw('POST', '/api/auth/sign-in', JSON.stringify(body), { 'content-type': 'application/json', origin: server.url }, localAddress);
}

function raw(method: string, path: string, body: string | undefined, headers: Record<string, string>, localAddress = '127.0.0.1') {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path, headers, localAddress }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function addPerson(name: string, role: 'operator' | 'supervisor' | 'admin', secret: string): Promise<string> {
  const response = await server.request('POST', '/api/people', { name, role, secret });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function cookieFor(body: unknown): Promise<string> {
  const response = await signIn(body);
  expect(response.status).toBe(200);
  return String(response.headers['set-cookie']).split(';')[0]!;
}

/** /ws/live as a browser opens it; the HTTP status when the upgrade is refused. */
function openLive(cookie: string): Promise<{ socket: WebSocket; messages: LiveServerMessage[]; closed: Promise<number> } | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws/live`, { headers: { cookie, origin: server.url } });
    sockets.push(socket);
    const messages: LiveServerMessage[] = [];
    const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)));
    socket.on('message', (data) => messages.push(liveServerMessage.parse(JSON.parse(data.toString()))));
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => resolve({ socket, messages, closed }));
    socket.on('error', () => {});
  });
}

async function watchingWall(cookie: string) {
  const live = await openLive(cookie);
  if (typeof live === 'number') throw new Error(`live feed refused with ${live}`);
  live.socket.send(JSON.stringify({ type: 'subscribe', scope: 'all' }));
  await waitFor(() => live.messages.find((m) => m.type === 'snapshot'), 5_000, 'the snapshot');
  return live;
}

/** Makes the chair change on the wall, so that an open feed would get an update. */
async function stirChair(chairId: string) {
  expect((await server.request('PUT', `/api/chairs/${chairId}/region`, { region: 'crown' })).status).toBe(200);
  // Longer than the wall waits between updates: whatever the change brings has arrived by then.
  await new Promise((resolve) => setTimeout(resolve, defaultLiveChannel.updateEveryMs.all + 300));
}

describe('a browser\'s live sockets end with its sign-in', () => {
  it('disabling a person closes their open live socket, and it receives nothing after', async () => {
    await start();
    const { chairId } = await chairWithDevice(server.api);
    const samId = await addPerson('Sam', 'supervisor', 'lead-of-the-floor');
    const live = await watchingWall(await cookieFor({ personId: samId, secret: 'lead-of-the-floor' }));
    expect((await server.request('POST', `/api/people/${samId}/disable`, {})).status).toBe(200);
    expect(await live.closed).toBe(LiveCloseCode.sessionEnded);
    const seen = live.messages.length;
    await stirChair(chairId);
    expect(live.messages.length).toBe(seen);
  });

  it('signing out closes the live sockets opened with that cookie, not another browser\'s', async () => {
    await start();
    const { chairId } = await chairWithDevice(server.api);
    const samId = await addPerson('Sam', 'supervisor', 'lead-of-the-floor');
    const cookie = await cookieFor({ personId: samId, secret: 'lead-of-the-floor' });
    const other = await watchingWall(await cookieFor({ personId: samId, secret: 'lead-of-the-floor' }));
    const live = await watchingWall(cookie);
    const out = await raw('POST', '/api/auth/sign-out', '', { cookie, origin: server.url });
    expect(out.status).toBe(200);
    expect(await live.closed).toBe(LiveCloseCode.sessionEnded);
    await stirChair(chairId);
    expect(other.socket.readyState).toBe(WebSocket.OPEN);
    expect(other.messages.some((m) => m.type === 'update' && m.chairs.length > 0)).toBe(true);
  });

  it('a cookie that expires closes its socket within a second (a hand-moved clock)', async () => {
    const clock = handClock();
    await start({ clock });
    await chairWithDevice(server.api);
    const samId = await addPerson('Sam', 'supervisor', 'lead-of-the-floor');
    const live = await watchingWall(await cookieFor({ personId: samId, secret: 'lead-of-the-floor' }));
    clock.advance(11 * 3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
    clock.advance(1 * 3_600_000 + 1);
    expect(await live.closed).toBe(LiveCloseCode.sessionEnded);
  });
});

/** Sends `bytes` of body in 64 KiB chunks of one reused buffer; resolves with the status, or the error if the server cut it off first. */
function sendLarge(path: string, bytes: number, headers: Record<string, string>, chunked: boolean): Promise<number | string> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const req = httpRequest({
      host: '127.0.0.1', port: server.port, method: 'POST', path,
      headers: { 'content-type': 'application/json', origin: server.url, ...headers, ...(chunked ? {} : { 'content-length': String(bytes) }) },
    }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('request bodies are bounded before they are read', () => {
  const BIG = 64 * 1024 * 1024;

  it.each([
    ['the public sign-in, by Content-Length', '/api/auth/sign-in', {}, false],
    ['the public sign-in, chunked', '/api/auth/sign-in', {}, true],
    ['an authenticated route, by Content-Length', '/api/chairs', { authorization: `Bearer ${ADMIN_TOKEN}` }, false],
    ['an authenticated route, chunked', '/api/chairs', { authorization: `Bearer ${ADMIN_TOKEN}` }, true],
  ])('a 64 MB body to %s gets 413 and the server does not hold it', async (_what, path, headers, chunked) => {
    await start();
    global.gc?.();
    const before = process.memoryUsage().rss;
    const status = await sendLarge(path, BIG, headers, chunked);
    const grown = process.memoryUsage().rss - before;
    // The server answers 413 and drops the connection; the client may see the cut before the answer.
    expect([413, 'EPIPE', 'ECONNRESET']).toContain(status);
    expect(grown).toBeLessThan(BIG / 2);
    // And it still serves everyone else.
    expect((await server.request('GET', '/api/chairs')).status).toBe(200);
  });

  it('a body just over the limit gets 413 with a clear message; a plan may be larger than a sign-in', async () => {
    await start();
    const signInBody = JSON.stringify({ token: 'x'.repeat(20 * 1024) });
    const refused = await raw('POST', '/api/auth/sign-in', signInBody, { 'content-type': 'application/json', origin: server.url });
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'too_large' } });
    const plan = JSON.stringify({ regions: {}, note: 'x'.repeat(100 * 1024) });
    const planAnswer = await raw('PUT', '/api/plans/pl_none', plan, { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(planAnswer.status).not.toBe(413);
  });

  it('an over-long address gets 414 and an over-large header block 431', async () => {
    await start();
    expect((await raw('GET', `/api/health?${'q'.repeat(3_000)}`, undefined, {})).status).toBe(414);
    expect((await raw('GET', '/api/health', undefined, { 'x-filler': 'f'.repeat(10 * 1024) })).status).toBe(431);
    expect((await raw('GET', '/api/health', undefined, {})).status).toBe(200);
  });
});

/** Opens a device socket; the HTTP status when the upgrade is refused. */
function openDevice(): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(server.deviceUrl);
    sockets.push(socket);
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => resolve(socket));
    socket.on('error', () => {});
  });
}

describe('sockets per address', () => {
  it('too many device sockets that have not said hello, from one address, are refused; a good hello frees a place', async () => {
    await start({ socketsPerAddress: { strangerDevices: 3 } });
    const ids = await chairWithDevice(server.api);
    const strangers = [await openDevice(), await openDevice(), await openDevice()];
    expect(strangers.every((s) => s instanceof WebSocket)).toBe(true);
    expect(await openDevice()).toBe(429);
    const first = strangers[0] as WebSocket;
    first.send(JSON.stringify({ type: 'hello', v: 1, deviceId: ids.deviceId, token: ids.token }));
    await new Promise((resolve) => first.once('message', resolve));
    expect(await openDevice()).toBeInstanceOf(WebSocket);
    // A stranger that leaves gives its place back.
    (strangers[1] as WebSocket).close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await openDevice()).toBeInstanceOf(WebSocket);
    expect(await openDevice()).toBe(429);
  });

  it('plain requests to a socket path hold no place, however many ride one keep-alive connection', async () => {
    await start({ socketsPerAddress: { strangerDevices: 2 } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 5; i++) {
      const status = await new Promise<number>((resolve, reject) =>
        httpRequest({ host: '127.0.0.1', port: server.port, path: '/ws/device', agent }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject).end(),
      );
      expect(status).toBe(426);
    }
    expect(await openDevice()).toBeInstanceOf(WebSocket);
    expect(await openDevice()).toBeInstanceOf(WebSocket);
    agent.destroy();
  });

  it('an authenticated handpiece is never counted against its address', async () => {
    await start({ socketsPerAddress: { strangerDevices: 1 } });
    const a = await chairWithDevice(server.api, 'Chair A');
    const b = await chairWithDevice(server.api, 'Chair B');
    const one = await RawDevice.hello(server.deviceUrl, a.deviceId, a.token);
    const two = await RawDevice.hello(server.deviceUrl, b.deviceId, b.token);
    expect([one.welcome.type, two.welcome.type]).toEqual(['welcome', 'welcome']);
    one.device.close();
    two.device.close();
  });

  it('too many live sockets from one address are refused', async () => {
    await start({ socketsPerAddress: { live: 2 } });
    const cookie = await cookieFor({ token: ADMIN_TOKEN });
    expect(await openLive(cookie)).not.toBeTypeOf('number');
    expect(await openLive(cookie)).not.toBeTypeOf('number');
    expect(await openLive(cookie)).toBe(429);
  });
});

describe('the session\'s operator is the person at the handpiece', () => {
  async function setUp() {
    await start();
    const { chairId } = await chairWithDevice(server.api);
    const ana = await addPerson('Ana', 'operator', '4821');
    const ben = await addPerson('Ben', 'operator', '5932');
    const sam = await addPerson('Sam', 'supervisor', 'lead-of-the-floor');
    return { chairId, ana, ben, sam };
  }
  const startSession = (cookie: string, body: object) =>
    raw('POST', '/api/sessions', JSON.stringify(body), { 'content-type': 'application/json', cookie, origin: server.url });

  it('an operator cannot start a session under another operator\'s id; without one it is theirs', async () => {
    const { chairId, ana, ben } = await setUp();
    const cookie = await cookieFor({ personId: ana, secret: '4821', chairId });
    const dodge = await startSession(cookie, { chairId, operatorId: ben, patientRef: 'P-1' });
    expect(dodge.status).toBe(403);
    expect(JSON.parse(dodge.body).error.message).toMatch(/only as yourself/);
    const own = await startSession(cookie, { chairId, patientRef: 'P-1' });
    expect(own.status).toBe(201);
    expect(JSON.parse(own.body).operatorId).toBe(ana);
  });

  it('a supervisor starts a session for an active operator only, with the reason at the field', async () => {
    const { chairId, ana, ben, sam } = await setUp();
    const cookie = await cookieFor({ personId: sam, secret: 'lead-of-the-floor' });
    await server.request('POST', `/api/people/${ben}/disable`, {});
    for (const operatorId of ['someone', ben, sam]) {
      const refused = await startSession(cookie, { chairId, operatorId, patientRef: 'P-1' });
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body).error.fields.operatorId).toBe('pick an active operator of the clinic');
    }
    const ok = await startSession(cookie, { chairId, operatorId: ana, patientRef: 'P-1' });
    expect(ok.status).toBe(201);
    expect(JSON.parse(ok.body).operatorId).toBe(ana);
  });

  it('the admin token keeps protocol v1: any operator reference of the integration', async () => {
    const { chairId } = await setUp();
    const response = await server.request('POST', '/api/sessions', { chairId, operatorId: 'vendor-op-17', patientRef: 'P-1' });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { operatorId: string }).operatorId).toBe('vendor-op-17');
  });

  it('a chair handed over mid-session is audited, and its breaks follow the new operator', async () => {
    const { chairId, ana, ben, sam } = await setUp();
    const cookie = await cookieFor({ personId: sam, secret: 'lead-of-the-floor' });
    const session = JSON.parse((await startSession(cookie, { chairId, operatorId: ana, patientRef: 'P-1' })).body) as { id: string };
    const handover = await raw('POST', `/api/sessions/${session.id}/handover`, JSON.stringify({ operatorId: ben }), {
      'content-type': 'application/json', cookie, origin: server.url,
    });
    expect(handover.status).toBe(200);
    expect(JSON.parse(handover.body).operatorId).toBe(ben);
    const audit = (await (await server.request('GET', '/api/audit?action=session.handover')).json()) as Array<{ actor: string; detail: unknown }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ chairId, from: ana, to: ben });
    const live = await watchingWall(cookie);
    const chair = live.messages.flatMap((m) => (m.type === 'snapshot' ? m.chairs : [])).find((c) => c.id === chairId)!;
    expect(chair.session).toMatchObject({ operatorId: ben, operatorName: 'Ben' });
    expect(chair.session!.fatigue.operatorId).toBe(ben);
  });
});

describe('sign-in lockout an attacker cannot turn against a person', () => {
  it('tries sent all at once are answered one at a time: the rest get 429 before their PIN is checked', async () => {
    await start();
    const { chairId } = await chairWithDevice(server.api);
    const ana = await addPerson('Ana', 'operator', '4821');
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn({ personId: ana, secret: String(2000 + i), chairId }, '127.0.0.2')));
    const statuses = burst.map((r) => r.status);
    // At most the five a person gets at one address are checked; everything else is refused unchecked.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    expect(burst.some((r) => JSON.parse(r.body).error.code === 'busy')).toBe(true);
  });

  it('a guesser at another address cannot lock a person out of their own tablet; the guesser gets 429 with Retry-After', async () => {
    await start();
    const { chairId } = await chairWithDevice(server.api);
    const ana = await addPerson('Ana', 'operator', '4821');
    expect((await signIn({ personId: ana, secret: '4821', chairId })).status).toBe(200);
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 40; i++) {
      const guess = await signIn({ personId: ana, secret: String(1000 + i), chairId }, '127.0.0.2');
      statuses.push(guess.status);
      if (guess.status === 429) retryAfter ??= guess.headers['retry-after'];
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await signIn({ personId: ana, secret: '4821', chairId })).status).toBe(200);
  });
});
