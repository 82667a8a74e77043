import { afterEach, describe, expect, it } from 'vitest';
import { DeviceClient } from '../device-sim/device-client.ts';
import { MemoryOutbox } from '../device-sim/outbox.ts';
import { count } from './helpers/database.ts';
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
});
