import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, query } from './helpers/database.ts';
import { dot, RawDevice, tel } from './helpers/raw-device.ts';
import { chairWithDevice, startTestServer, waitFor, type TestServer } from './helpers/server.ts';

let server: TestServer;
let ids: Awaited<ReturnType<typeof chairWithDevice>>;
const open: RawDevice[] = [];

async function hello() {
  const connected = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
  open.push(connected.device);
  return connected;
}

async function connect() {
  const device = await RawDevice.connect(server.deviceUrl);
  open.push(device);
  return device;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const storedDots = () => count(server.dataDir, 'SELECT count(*) AS n FROM dots');

beforeEach(async () => {
  server = await startTestServer();
  ids = await chairWithDevice(server.api);
});

afterEach(async () => {
  for (const device of open.splice(0)) device.close();
  await server.dispose();
});

describe('hello and welcome', () => {
  it('a good hello is welcomed with its chair, the open session and ackedSeq 0', async () => {
    const session = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0001' });
    const { welcome } = await hello();
    expect(welcome).toEqual({ type: 'welcome', v: 1, chairId: ids.chairId, sessionId: session.id, ackedSeq: 0 });
  });

  it('a hello with a wrong token gets unauthorized and close 4401, and nothing from the socket is stored', async () => {
    const device = await connect();
    device.send([{ type: 'hello', v: 1, deviceId: ids.deviceId, token: 'wrong' }, dot(1)]);
    expect(await device.closed()).toBe(4401);
    expect(device.received).toEqual([{ type: 'error', code: 'unauthorized', message: expect.any(String) }]);
    expect(storedDots()).toBe(0);
  });

  it('an unknown device id is refused with 4401', async () => {
    const device = await connect();
    device.send({ type: 'hello', v: 1, deviceId: 'dv_nobody', token: ids.token });
    expect(await device.closed()).toBe(4401);
    expect(device.of('error')[0]?.code).toBe('unauthorized');
  });

  it('a hello the server fails to record closes the socket with 1011, and the server serves the reconnect', async () => {
    server.store.db.pragma('query_only = 1'); // every write refused, as by a failing disk
    const device = await connect();
    device.send({ type: 'hello', v: 1, deviceId: ids.deviceId, token: ids.token });
    expect(await device.closed()).toBe(1011);
    server.store.db.pragma('query_only = 0');
    const { welcome } = await hello();
    expect(welcome).toMatchObject({ type: 'welcome', chairId: ids.chairId, ackedSeq: 0 });
  });

  it('a first message that is not a hello is refused with 4401', async () => {
    const device = await connect();
    device.send(dot(1));
    expect(await device.closed()).toBe(4401);
    expect(device.of('error')[0]?.code).toBe('unauthorized');
    expect(storedDots()).toBe(0);
  });

  it('a first frame of broken JSON is refused with 4401', async () => {
    const device = await connect();
    device.send('{"type":"hello",');
    expect(await device.closed()).toBe(4401);
  });

  it('a second socket of the same device replaces the first, which is closed with 4409', async () => {
    const first = await hello();
    const second = await hello();
    expect(await first.device.closed()).toBe(4409);
    second.device.send(dot(1));
    await second.device.acked(1);
    expect(second.device.closeCode).toBeUndefined();
  });
});

describe('delivery: nothing lost, nothing doubled', () => {
  it('a dot is acknowledged only once it is in the database', async () => {
    const { device } = await hello();
    device.send(dot(1));
    await device.acked(1);
    expect(storedDots()).toBe(1);
  });

  it('a resent dot is acknowledged again and stored once', async () => {
    const { device } = await hello();
    device.send(dot(1));
    await device.acked(1);
    const acksBefore = device.of('ack').length;
    device.send(dot(1));
    await waitFor(() => device.of('ack').length > acksBefore, 5_000, 'a second ack');
    expect(device.of('ack').at(-1)).toEqual({ type: 'ack', seq: 1 });
    expect(storedDots()).toBe(1);
  });

  it('a batch frame is handled as its messages, in order', async () => {
    const { device } = await hello();
    device.send([tel(1), dot(2), dot(3), tel(4)]);
    await device.acked(4);
    expect(storedDots()).toBe(2);
    expect(count(server.dataDir, 'SELECT sum(samples) AS n FROM telemetry_seconds')).toBe(2);
  });

  it('a reconnecting device is welcomed with the highest seq already stored', async () => {
    const first = await hello();
    first.device.send([dot(1), dot(2), dot(3)]);
    await first.device.acked(3);
    first.device.close();
    const { welcome } = await hello();
    expect(welcome.ackedSeq).toBe(3);
  });

  it('a seq that jumps ahead is stored and the gap is recorded for the supervisor', async () => {
    const { device } = await hello();
    device.send(dot(1));
    device.send(dot(5));
    await device.acked(5);
    expect(storedDots()).toBe(2);
    const incidents = await server.request('GET', `/api/devices/${ids.deviceId}/incidents`).then((r) => r.json());
    expect(incidents).toEqual([expect.objectContaining({ kind: 'gap', seq: 2, seqTo: 4 })]);
  });
});

describe('bad input gets the protocol answer and costs only itself', () => {
  const invalid: Array<[string, unknown, number | undefined]> = [
    ['an unknown type', { type: 'sparkle', seq: 2, ts: Date.now() }, 2],
    ['a needle count out of range', dot(2, { needles: 7 }), 2],
    ['a non-finite number', '{"type":"dot","seq":2,"ts":1790000000000,"cycles":18,"dwellMs":1e999,"needles":3}', 2],
    ['an unknown region', dot(2, { region: 'forehead' }), 2],
    ['a missing field', dot(2, { cycles: undefined }), 2],
    ['x without y', dot(2, { y: undefined }), 2],
    ['a position off the map', dot(2, { x: 1.5 }), 2],
    ['a tel with a string for a number', tel(2, { cycleHz: '120' }), 2],
    ['broken JSON', '{"type":"dot","seq":2,', undefined],
    ['a seq that is not a positive integer', dot(-2), undefined],
  ];

  it.each(invalid)('%s gets error "invalid", and the messages around it are stored', async (_name, bad, seq) => {
    const { device } = await hello();
    device.send(dot(1));
    device.send(bad);
    device.send(dot(3));
    await device.acked(3);
    const errors = device.of('error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'invalid', message: expect.any(String) });
    expect(errors[0]!.seq).toBe(seq);
    expect(device.closeCode).toBeUndefined();
    expect(storedDots()).toBe(2);
    const refused = query<{ seq: number | null }>(server.dataDir, "SELECT seq FROM device_incidents WHERE kind = 'refused'");
    expect(refused).toEqual([{ seq: seq ?? null }]);
  });

  it('an invalid message with a readable seq is acknowledged, so the device does not resend it forever', async () => {
    const { device } = await hello();
    device.send(dot(1, { needles: 0 }));
    await device.acked(1);
    expect(storedDots()).toBe(0);
  });

  it('one bad message inside a batch costs only itself', async () => {
    const { device } = await hello();
    device.send([dot(1), dot(2, { region: 'nowhere' }), 'not an object', dot(3)]);
    await device.acked(3);
    expect(storedDots()).toBe(2);
    expect(device.of('error').map((e) => e.seq)).toEqual([2, undefined]);
  });

  it('a binary frame closes the socket with 1003', async () => {
    const { device } = await hello();
    device.sendRaw(Buffer.from(JSON.stringify(dot(1))), true);
    expect(await device.closed()).toBe(1003);
    expect(storedDots()).toBe(0);
  });

  it('a frame over 64 KiB closes the socket with 1009', async () => {
    const { device } = await hello();
    device.send(dot(1));
    await device.acked(1);
    device.sendRaw(JSON.stringify(dot(2, { pad: 'x'.repeat(65 * 1024) })));
    expect(await device.closed()).toBe(1009);
    expect(storedDots()).toBe(1);
  });
});

describe('liveness', () => {
  /** A server that pings every 50 ms and lets a socket go after 150 ms without an answer. */
  async function quickHeartbeat() {
    await server.dispose();
    server = await startTestServer({ heartbeat: { intervalMs: 50, timeoutMs: 150 } });
    ids = await chairWithDevice(server.api);
  }

  /** A handpiece whose socket answers no pings, welcomed. */
  async function helloWithoutPongs(): Promise<RawDevice> {
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token, { autoPong: false });
    open.push(device);
    return device;
  }

  it('a socket that stops answering pings is closed and the device shown offline', async () => {
    await quickHeartbeat();
    const silent = await helloWithoutPongs();
    expect((await server.api.chairs())[0]!.devices[0]!.online).toBe(true);
    expect(await silent.closed()).toBe(1006);
    const chairs = await server.api.chairs();
    expect(chairs[0]!.devices[0]!.online).toBe(false);
  });

  it('a socket that answers pings stays open', async () => {
    await quickHeartbeat();
    const { device } = await hello();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(device.closeCode).toBeUndefined();
    expect((await server.api.chairs())[0]!.devices[0]!.online).toBe(true);
  });

  it('a socket that streams but answers no pings stays open: its messages show it alive', async () => {
    await quickHeartbeat();
    const streaming = await helloWithoutPongs();
    for (let seq = 1; seq <= 20; seq++) {
      streaming.send(tel(seq));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(streaming.closeCode).toBeUndefined();
  });
});

describe('commands to the handpiece', () => {
  it('ending a session inhibits the chair\'s device; starting the next releases it', async () => {
    const session = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0001' });
    const { device } = await hello();
    await server.api.endSession(session.id);
    expect(await device.next('inhibit')).toEqual({ type: 'inhibit', reason: 'session-ended' });
    await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0002' });
    await device.next('release');
  });

  it('a device that connects after its chair\'s session ended is told it is inhibited', async () => {
    const session = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0001' });
    await server.api.endSession(session.id);
    const { device } = await hello();
    expect(await device.next('inhibit')).toEqual({ type: 'inhibit', reason: 'session-ended' });
  });

  it('the operator\'s region selection reaches the device and takes the dots that name no region', async () => {
    const session = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0001' });
    const { device } = await hello();
    await selectRegion(ids.chairId, 'temporal-left');
    expect(await device.next('region')).toEqual({ type: 'region', region: 'temporal-left' });
    device.send([dot(1, { region: undefined }), dot(2, { region: 'crown' })]);
    await device.acked(2);
    expect((await server.api.session(session.id)).dots).toEqual({ total: 2, byRegion: { 'temporal-left': 1, crown: 1 } });
  });

  it('a dot with no region and no selection is stored as unassigned', async () => {
    const { device } = await hello();
    device.send(dot(1, { region: undefined }));
    await device.acked(1);
    expect(query(server.dataDir, 'SELECT region FROM dots')).toEqual([{ region: 'unassigned' }]);
  });
});

describe('a dot belongs to the session open when it was made', () => {
  it('a dot resent after its session ended still lands in that session', async () => {
    const { device } = await hello();
    device.send(tel(1));
    await device.acked(1);
    const session = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0001' });
    await sleep(50);
    const madeDuringSession = Date.now(); // made mid-session, but the device could not send it then
    await sleep(50);
    await server.api.endSession(session.id);
    const next = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0002' });
    device.send([dot(2, { ts: madeDuringSession }), dot(3)]);
    await device.acked(3);
    expect((await server.api.session(session.id)).dots.total).toBe(1);
    expect((await server.api.session(next.id)).dots.total).toBe(1);
  });

  it('a dot made before any session opened belongs to no session', async () => {
    const { device } = await hello();
    device.send(tel(1));
    const before = Date.now();
    await device.acked(1);
    await sleep(50);
    const session = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0001' });
    device.send([dot(2, { ts: before }), dot(3)]);
    await device.acked(3);
    expect((await server.api.session(session.id)).dots.total).toBe(1);
    expect(count(server.dataDir, 'SELECT count(*) AS n FROM dots WHERE session_key IS NULL')).toBe(1);
  });

  it('a device whose clock is an hour behind still has its dots counted in the open session', async () => {
    const hourBehind = () => Date.now() - 3_600_000;
    const session = await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0001' });
    const { device } = await hello();
    device.send([tel(1, { ts: hourBehind() }), dot(2, { ts: hourBehind() })]);
    await device.acked(2);
    expect((await server.api.session(session.id)).dots.total).toBe(1);
  });
});

async function selectRegion(chairId: string, region: string): Promise<void> {
  const response = await server.request('PUT', `/api/chairs/${chairId}/region`, { region });
  expect(response.status).toBe(200);
}
