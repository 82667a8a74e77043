import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError } from '../server/protocol/api.ts';
import { defaultGuidanceSettings, guidanceEvent } from '../server/protocol/guidance.ts';
import { dot, RawDevice } from './helpers/raw-device.ts';
import { chairWithDevice, startTestServer, waitFor, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.dispose();
});

const overworkHints = () =>
  server.store.db.prepare("SELECT id, kind, region, message, at, chair_id AS chairId, '' AS sessionId FROM guidance_events WHERE kind = 'overwork'").all().map((row) => guidanceEvent.parse(row));

describe('guidance settings over HTTP', () => {
  it('the overwork threshold is the clinic\'s: a bad factor is refused at its field, a saved one decides the next hint and survives a restart', async () => {
    expect(await (await server.request('GET', '/api/guidance/settings')).json()).toEqual(defaultGuidanceSettings);
    const refused = await server.request('PUT', '/api/guidance/settings', { ...defaultGuidanceSettings, overworkFactor: 0.5 });
    expect(refused.status).toBe(400);
    expect(apiError.parse(await refused.json()).error.fields).toHaveProperty('overworkFactor');

    const strict = { ...defaultGuidanceSettings, overworkFactor: 1.5, minHistory: 5 };
    expect((await server.request('PUT', '/api/guidance/settings', strict)).status).toBe(200);

    const { chairId, deviceId, token } = await chairWithDevice(server.api);
    await server.api.startSession({ chairId, operatorId: 'op-ana', patientRef: 'P-7' });
    const { device } = await RawDevice.hello(server.deviceUrl, deviceId, token);
    // Five ordinary dots make the norm (150 ms); 1.7× that is overwork at 1.5×, not at the default 2×.
    device.send([1, 2, 3, 4, 5].map((seq) => dot(seq, { dwellMs: 150, cycles: 18 })));
    device.send(dot(6, { dwellMs: 255, cycles: 31 }));
    await device.acked(6);
    const [hint] = await waitFor(() => overworkHints().length === 1 && overworkHints(), 5_000, 'an overwork hint');
    expect(hint!.message).toContain('threshold 1.5× from settings');
    expect(hint!.message).toContain('not a measured depth');

    await server.close();
    const again = await startTestServer({ dataDir: server.dataDir });
    server = again;
    expect(await (await again.request('GET', '/api/guidance/settings')).json()).toEqual(strict);
  });
});
