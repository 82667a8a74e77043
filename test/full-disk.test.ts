import { afterEach, describe, expect, it } from 'vitest';
import { DeviceClient } from '../device-sim/device-client.ts';
import { MemoryOutbox } from '../device-sim/outbox.ts';
import { defaultBreakPolicy } from '../server/protocol/breaks.ts';
import { count } from './helpers/database.ts';
import { RawDevice, tel } from './helpers/raw-device.ts';
import { chairWithDevice, startTestServer, waitFor, type TestServer } from './helpers/server.ts';

let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

const dot = (i: number) => ({ type: 'dot' as const, ts: Date.now(), region: 'crown' as const, x: (i % 100) / 100, y: 0.7, cycles: 18, dwellMs: 150, needles: 3 });

describe('a full disk', () => {
  it('acknowledges nothing it could not store, drops the device, and takes the resend once space is back', async () => {
    server = await startTestServer();
    const ids = await chairWithDevice(server.api);
    const client = new DeviceClient({
      url: server.deviceUrl, deviceId: ids.deviceId, token: ids.token, outbox: new MemoryOutbox(),
      reconnect: { initialMs: 100, maxMs: 200 },
    });
    client.start();
    await waitFor(() => client.state === 'open');
    client.send([dot(1), dot(2), dot(3)]);
    await waitFor(() => client.ackedSeq === 3);

    // The database may not grow: as if the disk were full.
    const pages = server.store.db.pragma('page_count', { simple: true }) as number;
    server.store.db.pragma(`max_page_count = ${pages}`);
    const connectsBefore = client.connects;
    client.send(Array.from({ length: 2_000 }, (_, i) => dot(i)));
    await waitFor(() => client.connects > connectsBefore, 5_000, 'the device to be dropped and reconnect');
    expect(client.ackedSeq).toBeLessThan(2_003);
    expect(count(server.dataDir, 'SELECT count(*) AS n FROM dots')).toBeLessThan(2_003);

    server.store.db.pragma('max_page_count = 1073741823'); // space again
    await waitFor(() => client.ackedSeq === 2_003, 10_000, 'everything to be acknowledged');
    expect(count(server.dataDir, 'SELECT count(*) AS n FROM dots')).toBe(2_003);
    await client.stop();
  });

  it('a break that falls due still stops the handpiece, an alarm still reaches the screens, and the server keeps its rounds going until space is back', async () => {
    const clock = { t: Date.UTC(2026, 10, 26, 8), now() { return this.t; }, scale: 1 };
    // Rounds every few ms: each break tick and state save meets the refusing disk many times over.
    server = await startTestServer({ clock, breaks: { tickMs: 5, saveEveryMs: 10 }, alarms: { tickMs: 5 } });
    const ids = await chairWithDevice(server.api);
    await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-ana', patientRef: 'P-1' });
    const start = clock.t;
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    const work = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => tel(from + i, { ts: start + (from + i - 1) * 1000, running: true }));
    // 24 minutes of needle work, stored: the micro-pause is due at 25.
    device.send(tel(1, { ts: start, running: true }));
    await device.acked(1);
    for (let seq = 2; seq <= 1_441; seq += 60) {
      clock.t = start + (seq + 58) * 1000;
      device.send(work(seq, seq + 59));
      await device.acked(seq + 59);
    }
    const stored = Math.max(...device.of('ack').map((a) => a.seq));

    server.store.db.pragma('query_only = 1'); // every write refused, as by a full disk
    clock.t = start + 1_530_000;
    device.send(work(stored + 1, 1_530));
    expect(await device.next('inhibit')).toMatchObject({ type: 'inhibit', reason: 'break', until: start + 1_500_000 + defaultBreakPolicy.microDurationMs });
    // Their commit failed: the device is dropped to resend them, and none of them is acknowledged.
    expect(await device.closed()).toBe(1011);
    expect(Math.max(...device.of('ack').map((a) => a.seq))).toBe(stored);
    await new Promise((resolve) => setTimeout(resolve, 100)); // ten rounds and more of each, all failing
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    // Still away 15 s later: the screens are told, though the alarm's record cannot be written.
    const shown: string[] = [];
    server.hub.on('alarm', ({ alarm, change }) => shown.push(`${alarm.condition} ${change}`));
    clock.t += 15_000;
    await waitFor(() => shown.includes('device-offline raised'), 5_000, 'the offline alarm on the screens');

    server.store.db.pragma('query_only = 0');
    const again = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    expect(again.welcome.ackedSeq).toBe(stored);
    expect(await again.device.next('inhibit')).toMatchObject({ reason: 'break' });
    again.device.send(work(stored + 1, 1_530));
    await again.device.acked(1_530);
    again.device.close();
  });
});
