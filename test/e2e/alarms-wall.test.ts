import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { RawDevice, tel } from '../helpers/raw-device.ts';
import { chairWithDevice, startTestServer, type TestServer } from '../helpers/server.ts';


const suite = browserSuite();
const cleanup = suite.cleanup;

const view = (server: TestServer, path: string, viewport?: { width: number; height: number }) => suite.signedIn(server.url, path, viewport);

describe('alarms on the wall and the tablet, in Chromium', () => {
  it('a high alarm on one chair moves it to the top of the wall; acknowledging it in one browser updates every open view', async () => {
    const clock = { t: Date.UTC(2026, 10, 26, 11), now() { return this.t; }, scale: 1 };
    const server = await startTestServer({ webRoot, clock, alarms: { tickMs: 5 } });
    cleanup(() => server.dispose());
    const chairs = [];
    for (const name of ['Chair 1', 'Chair 2', 'Chair 3']) {
      const ids = await chairWithDevice(server.api, name);
      await server.api.startSession({ chairId: ids.chairId, operatorId: `op-${name.slice(-1)}`, patientRef: `P-${name.slice(-1)}` });
      const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
      cleanup(() => device.close());
      device.send(tel(1, { ts: clock.t, cycleHz: 125, running: true }));
      await device.acked(1);
      chairs.push({ ...ids, device });
    }
    const wall = await view(server, '/', { width: 1600, height: 900 });
    const otherWall = await view(server, '/');
    const tablet = await view(server, `/chairs/${chairs[2]!.chairId}`);
    const order = (page: Page) => page.getByTestId('chair-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-chair')));
    await expect.poll(() => order(wall)).toEqual(chairs.map((c) => c.chairId));

    // Chair 3's handpiece runs at 172 Hz for six seconds: out of band for longer than a moment.
    const { device } = chairs[2]!;
    const start = clock.t;
    for (let i = 1; i <= 60; i++) {
      clock.t = start + i * 100;
      device.send(tel(i + 1, { ts: clock.t, cycleHz: 172, running: true }));
    }
    await device.acked(61);
    await expect.poll(() => order(wall)).toEqual([chairs[2]!.chairId, chairs[0]!.chairId, chairs[1]!.chairId]);
    const alarm = wall.locator(`[data-chair="${chairs[2]!.chairId}"] [data-condition="cycle-out-of-band"]`);
    expect(await alarm.getAttribute('data-priority')).toBe('high');
    // Priority by marker and word, not by colour alone.
    expect(await alarm.innerText()).toMatch(/!!!\s*high\s*Cycle rate out of band/i);
    await expect.poll(() => tablet.getByTestId('alarm-line').innerText()).toMatch(/Cycle rate out of band/);
    expect(await tablet.getByTestId('alarm-line').getAttribute('data-sounding')).toBe('true');
    await wall.screenshot({ path: `${screenshots}/alarm-wall.png` });

    await alarm.getByRole('button', { name: 'Acknowledge' }).click();
    for (const page of [wall, otherWall, tablet]) {
      await expect.poll(() => page.locator('[data-condition="cycle-out-of-band"]').first().innerText()).toContain('ack admin token');
    }
    expect(await tablet.getByTestId('alarm-line').getAttribute('data-sounding')).toBe('false');
    const audit = server.store.db.prepare<[], { action: string }>("SELECT action FROM audit WHERE action = 'alarm.ack'").all();
    expect(audit).toHaveLength(1);
  });
});
