import { describe, expect, it } from 'vitest';
import { defaultBreakPolicy } from '../../server/protocol/breaks.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { RawDevice, tel } from '../helpers/raw-device.ts';
import { chairWithDevice, startTestServer } from '../helpers/server.ts';


const suite = browserSuite();
const cleanup = suite.cleanup;

describe('a break on the operator\'s tablet, in Chromium', () => {
  it('the tablet warns, then turns into the full-screen break countdown while the handpiece is inhibited, and returns to the session after release', async () => {
    // The server's clock is the test's: needle time is fed a second at a time, as fast as it goes.
    const clock = { t: Date.UTC(2026, 10, 26, 9), now() { return this.t; }, scale: 1 };
    const server = await startTestServer({ webRoot, clock, breaks: { tickMs: 5 } });
    cleanup(() => server.dispose());
    const ids = await chairWithDevice(server.api, 'Chair 4');
    await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-ana', patientRef: 'P-0311' });
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    cleanup(() => device.close());

    const tablet = await suite.signedIn(server.url, `/chairs/${ids.chairId}`);

    const start = clock.t;
    // The first sample alone, on time: the server reads the device's clock from it.
    device.send(tel(1, { ts: start, running: true }));
    await device.acked(1);
    let seq = 1;
    /** Needle work up to `second` of the session, a running sample a second. */
    async function workUntil(second: number) {
      while (seq <= second) {
        const batch = [];
        for (let i = 0; i < 60 && seq <= second; i++, seq++) batch.push(tel(seq + 1, { ts: start + seq * 1000, running: true }));
        clock.t = start + (seq - 1) * 1000;
        device.send(batch);
        await device.acked(seq);
      }
    }

    const micro = defaultBreakPolicy.microEveryMs / 1000;
    await workUntil(micro - 240); // four minutes of needle time before the micro-pause
    await expect.poll(() => tablet.getByTestId('break-warning').innerText()).toMatch(/Micro-pause in \d:\d\d/);
    expect(await tablet.getByTestId('break-view').count()).toBe(0);

    await workUntil(micro);
    const view = tablet.getByTestId('break-view');
    await expect.poll(() => view.isVisible()).toBe(true);
    await expect.poll(() => tablet.getByTestId('break-countdown').innerText()).toMatch(/^[12]:\d\d$/);
    const inhibit = await device.next('inhibit');
    expect(inhibit).toMatchObject({ reason: 'break', until: start + defaultBreakPolicy.microEveryMs + defaultBreakPolicy.microDurationMs });
    expect(await tablet.getByRole('button', { name: 'Postpone (2 left)' }).isVisible()).toBe(true);
    await tablet.screenshot({ path: `${screenshots}/break-countdown.png` });

    clock.t = inhibit.until! + 1;
    await device.next('release');
    await expect.poll(() => view.count()).toBe(0);
    expect(await tablet.getByTestId('cycle-hz').isVisible()).toBe(true);
  });

  it('the operator postpones the break from the tablet: the handpiece is released at once and the postpone is audited', async () => {
    const clock = { t: Date.UTC(2026, 10, 26, 9), now() { return this.t; }, scale: 1 };
    const server = await startTestServer({ webRoot, clock, breaks: { tickMs: 5 } });
    cleanup(() => server.dispose());
    const ids = await chairWithDevice(server.api, 'Chair 2');
    await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-ben', patientRef: 'P-0400' });
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    cleanup(() => device.close());
    const start = clock.t;
    device.send(tel(1, { ts: start, running: true }));
    await device.acked(1);
    for (let s = 1; s <= defaultBreakPolicy.microEveryMs / 1000; s += 100) {
      const batch = Array.from({ length: 100 }, (_, i) => tel(s + i + 1, { ts: start + (s + i) * 1000, running: true }));
      clock.t = start + (s + 99) * 1000;
      device.send(batch);
      await device.acked(s + 100);
    }
    await device.next('inhibit');

    const tablet = await suite.signedIn(server.url, `/chairs/${ids.chairId}`);
    await tablet.getByRole('button', { name: 'Postpone (2 left)' }).click();
    await device.next('release');
    await expect.poll(() => tablet.getByTestId('break-view').count()).toBe(0);
    await expect.poll(() => tablet.getByTestId('break-warning').innerText()).toContain('(postponed)');
    const audit = server.store.db.prepare<[], { action: string }>("SELECT action FROM audit WHERE action = 'break.postpone'").all();
    expect(audit).toHaveLength(1);
  });
});
