import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { regionTargets } from '../../server/plans/plan-math.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { signIn } from '../helpers/browser.ts';
import { freePort } from '../helpers/child-server.ts';
import { dot, RawDevice, tel } from '../helpers/raw-device.ts';
import { chairWithDevice, startTestServer, tempDir, type TestServer } from '../helpers/server.ts';
import { testClock } from '../helpers/worked-session.ts';

const suite = browserSuite();

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const started = await startTestServer({ webRoot, backups: { nightlyAt: null }, ...options });
  suite.cleanup(() => started.dispose().catch(() => {}));
  return started;
}

/** A chair whose session follows a fresh treatment's first plan, with the plan's target dots per region. */
async function chairInSession(target: TestServer) {
  const ids = await chairWithDevice(target.api, 'Chair 1');
  const treatment = await target.api.createTreatment({ patientRef: 'P-0142', sessions: 3 });
  const planId = treatment.plans[0]!.id;
  await target.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-0142', planId });
  const { device } = await RawDevice.hello(target.deviceUrl, ids.deviceId, ids.token);
  suite.cleanup(() => device.close());
  return { ...ids, device, targets: regionTargets((await target.api.plan(planId)).regions) };
}

const text = (p: Page, testId: string) => p.getByTestId(testId).first().innerText();

/** A time of day as the page's own clock and locale write it (the banner's "since"). */
const timeOfDayInPage = (p: Page) =>
  p.evaluate(() => new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' }).format(Date.now()));

describe('the tablet and the wall at a glance, in Chromium', () => {
  it('a stopped needle shows its last rate greyed with its age on the tablet and the wall, not a blank', async () => {
    const clock = testClock(Date.now());
    const target = await server({ clock });
    const chair = await chairInSession(target);
    const tablet = await suite.signedIn(target.url, `/chairs/${chair.chairId}`);
    const wall = await suite.signedIn(target.url, '/', { width: 1600, height: 900 });
    const card = wall.getByTestId('chair-card');

    // The needle has not run this session: nothing to show yet.
    await expect.poll(() => text(tablet, 'cycle-hz')).toBe('—');
    expect(await tablet.getByTestId('cycle-age').count()).toBe(0);
    let seq = 0;
    const tel = (running: boolean) => ({ type: 'tel', seq: ++seq, ts: clock.t, cycleHz: running ? 124.2 : 0, needles: 3, running, batteryPct: 80 });
    chair.device.send([tel(false), tel(true), ...Array.from({ length: 30 }, () => dot(++seq, { ts: clock.t, region: 'crown' }))]);
    await expect.poll(() => text(tablet, 'cycle-hz')).toBe('124');
    await expect.poll(() => tablet.getByRole('status').first().innerText()).toContain('In band');

    // Then it stops, and the handpiece reports it stopped every five seconds for two minutes.
    for (let i = 0; i < 24; i++) {
      clock.t += 5_000;
      chair.device.send(tel(false));
    }
    await chair.device.acked(seq);
    await expect.poll(() => text(tablet, 'cycle-age')).toBe('Hz · 2 min ago');
    expect(await text(tablet, 'cycle-hz')).toBe('124');
    expect(await tablet.getByRole('status').first().innerText()).toBe('Needle stopped');
    expect(await tablet.locator('.rate').getAttribute('class')).toContain('idle');
    await expect.poll(() => card.locator('.hz').innerText()).toBe('124Hz · 2 min ago');
    expect(await card.locator('.hz').getAttribute('class')).toContain('stopped');
    await tablet.screenshot({ path: `${screenshots}/tablet-needle-stopped.png` });

    // Running again, the figure is live and green once more.
    chair.device.send({ ...tel(true), cycleHz: 131 });
    await expect.poll(() => text(tablet, 'cycle-hz')).toBe('131');
    expect(await tablet.getByTestId('cycle-age').count()).toBe(0);
  });

  it('each wall card shows how much of its plan is done, in figures read across the room', async () => {
    const target = await server();
    const chair = await chairInSession(target);
    const wall = await suite.signedIn(target.url, '/', { width: 1920, height: 1080 });
    const card = wall.getByTestId('chair-card');
    await expect.poll(() => text(wall, 'card-plan-done')).toBe('0% of plan');

    // Every region worked to about half its target.
    const dots = Object.entries(chair.targets).flatMap(([region, n]) => Array.from({ length: Math.round(n / 2) }, () => region));
    for (let i = 0; i < dots.length; i += 200) chair.device.send(dots.slice(i, i + 200).map((region, j) => dot(i + j + 1, { region })));
    await chair.device.acked(dots.length);
    await expect.poll(() => text(wall, 'dots-total')).toBe(dots.length.toLocaleString('en'));
    const planned = Object.values(chair.targets).reduce((a, b) => a + b, 0);
    expect(await card.locator('.of').innerText()).toContain(planned.toLocaleString('en'));
    expect(await text(wall, 'card-plan-done')).toBe(`${Math.floor((dots.length / planned) * 100)}% of plan`);
    // Large enough to read at three metres: as tall as the cycle rate beside it, near enough.
    const size = (selector: string) => card.locator(selector).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(await size('[data-testid="card-plan-done"]')).toBeGreaterThanOrEqual(0.8 * (await size('.hz')));
  });

  it('when the box is unreachable every live page says so and since when, and clears once it is back', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    let target = await server({ dataDir, port });
    const chair = await chairInSession(target);
    const tablet = await suite.signedIn(target.url, `/chairs/${chair.chairId}`);
    const wall = await suite.signedIn(target.url, '/', { width: 1600, height: 900 });
    for (const p of [tablet, wall]) await expect.poll(() => text(p, 'live-status')).toContain('Live');
    // The needle running when the box goes: its figure freezes, and must not pass for a live one.
    chair.device.send([dot(1), dot(2), dot(3), tel(4, { cycleHz: 124 })]);
    await expect.poll(() => text(tablet, 'cycle-hz')).toBe('124');
    expect(await tablet.getByTestId('offline-banner').count()).toBe(0);

    const before = await timeOfDayInPage(tablet);
    await target.close();
    for (const p of [tablet, wall]) await expect.poll(() => p.getByTestId('offline-banner').count()).toBe(1);
    const after = await timeOfDayInPage(tablet);
    const banner = await text(tablet, 'offline-banner');
    expect([`The box is unreachable since ${before} — reconnecting…`, `The box is unreachable since ${after} — reconnecting…`]).toContain(banner);
    expect(await text(wall, 'offline-banner')).toBe(banner);
    await tablet.screenshot({ path: `${screenshots}/offline-banner.png` });

    target = await server({ dataDir, port });
    for (const p of [tablet, wall]) await expect.poll(() => p.getByTestId('offline-banner').count(), { timeout: 15_000 }).toBe(0);
  });

  it('the sign-in page opens no live connection; the page signed in to does', async () => {
    const target = await server();
    const page = await suite.page();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(new URL(socket.url()).pathname));
    await page.goto(`${target.url}/sign-in?method=token`);
    await page.getByLabel('Admin token').waitFor();
    await page.waitForLoadState('networkidle');
    expect(sockets).toEqual([]);
    await signIn(page, target.url, '/');
    await expect.poll(() => text(page, 'live-status')).toContain('Live');
    expect(sockets).toContain('/ws/live');
  });
});
