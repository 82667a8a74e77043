import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../server/clock.ts';
import { watchWall } from './helpers/live-watch.ts';
import { dot, RawDevice } from './helpers/raw-device.ts';
import { ADMIN_TOKEN, startTestServer, waitFor, type TestServer } from './helpers/server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

const HOUR_MS = 3_600_000;

/** What the server says its long-lived maps hold (`stipple_held_in_memory`), by map. */
async function heldInMemory(): Promise<Record<string, number>> {
  const response = await fetch(`${server!.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const held: Record<string, number> = {};
  for (const [, what, entries] of (await response.text()).matchAll(/^stipple_held_in_memory\{what="([a-z_]+)"\} (\d+)$/gm)) held[what!] = Number(entries);
  return held;
}

describe('memory over a clinic day', () => {
  it('ended sessions and revoked handpieces leave no state in memory', async () => {
    // The clinic's clock jumps two hours a session: a day of four sessions at each of two chairs.
    let now = new Date(2026, 11, 1, 8).getTime();
    const clock: Clock = { now: () => now, scale: 1 };
    server = await startTestServer({ clock });
    const { api } = server;
    const chairs = [await api.createChair('Chair 1'), await api.createChair('Chair 2')];
    const wall = await watchWall(server);
    let live: RawDevice[] = [];
    const inUse = new Map<string, string>();

    for (let round = 1; round <= 4; round++) {
      for (const [i, chair] of chairs.entries()) {
        // The handpiece of the last session is retired and a new one paired: the old one is revoked.
        const previous = inUse.get(chair.id);
        if (previous) expect((await server.request('POST', `/api/devices/${previous}/revoke`, {})).status).toBe(200);
        const paired = await api.pairDevice(chair.id, `Handpiece ${round}`);
        inUse.set(chair.id, paired.id);
        const patientRef = `P-${i}-${round}`;
        const treatment = await api.createTreatment({ patientRef, sessions: 3 });
        const session = await api.startSession({ chairId: chair.id, operatorId: `op-${i}`, patientRef, planId: treatment.plans[0]!.id });
        const { device } = await RawDevice.hello(server.deviceUrl, paired.id, paired.token);
        live.push(device);
        // A grouping the plan does not call for: the guidance rules remember the mismatch for the session.
        for (let seq = 1; seq <= 3; seq++) device.send(dot(seq, { needles: 6 }));
        await device.acked(3);
        // The wall shows the session's dots, so its plan was made for the browsers.
        await waitFor(() => {
          const shown = wall.chair(chair.id)?.session;
          return (shown?.id === session.id && shown.dots.total === 3) || undefined;
        }, 5_000, 'the session\'s dots on the wall');
      }
      const during = await heldInMemory();
      expect(during.guidance_sessions).toBe(2);
      expect(during.live_plans).toBe(2);

      now += 2 * HOUR_MS;
      for (const chair of await api.chairs()) await api.endSession(chair.session!.id);
    }

    const after = await heldInMemory();
    expect(after.guidance_sessions).toBe(0);
    expect(after.live_plans).toBe(0);
    // Eight handpieces connected during the day, six of them revoked: the two in use are what is left.
    expect(after.device_states).toBe(2);
    expect(after.break_operators).toBe(2);
    wall.close();
    live.forEach((device) => device.socket.terminate());
    live = [];
  });
});
