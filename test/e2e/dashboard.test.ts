import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../device-sim/simulator.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { tapRegion } from '../helpers/scalp-map.ts';
import { freePort } from '../helpers/child-server.ts';
import { dot, RawDevice, tel } from '../helpers/raw-device.ts';
import { ADMIN_TOKEN, chairWithDevice, startTestServer, tempDir, waitFor, type TestServer } from '../helpers/server.ts';


const suite = browserSuite();
const cleanup = suite.cleanup;

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const started = await startTestServer({ webRoot, ...options });
  cleanup(() => started.close().catch(() => {}));
  return started;
}

const page = (target: TestServer, path: string, viewport?: { width: number; height: number }): Promise<Page> => suite.signedIn(target.url, path, viewport);

const text = (p: Page, selector: string) => p.locator(selector).first().innerText();

describe('the dashboard in Chromium', () => {
  it('an unsigned browser is sent to sign-in, and a wrong token is refused next to the field', async () => {
    const target = await server();
    const context = await suite.browser.newContext();
    cleanup(() => context.close());
    const p = await context.newPage();
    await p.goto(`${target.url}/`);
    await p.waitForURL(/\/sign-in/);
    await p.getByLabel('Admin token').fill('not-the-token');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => p.getByRole('alert').innerText()).toContain('not right');
    const cookies = await context.cookies();
    expect(cookies.filter((c) => c.name === 'stipple_session')).toEqual([]);
  });

  it('the supervisor wall shows every chair and its numbers change as the handpieces work', async () => {
    const target = await server();
    const simulator = await Simulator.start({
      serverUrl: target.url, adminToken: ADMIN_TOKEN, chairs: 16, speed: 4, seed: 5, scenario: 'steady',
      startSessions: true, telHz: 10, tickMs: 50,
    });
    cleanup(() => simulator.stop());
    // The wall as the clinic lives with it: the admin's first-run checklist put away.
    expect((await target.request('POST', '/api/setup/dismiss')).status).toBe(200);
    const wall = await page(target, '/', { width: 1920, height: 1080 });
    await expect.poll(() => wall.getByTestId('chair-card').count()).toBe(16);
    const totals = async () => (await wall.getByTestId('dots-total').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
    const first = await totals();
    await expect.poll(async () => (await totals()).reduce((a, b) => a + b, 0), { timeout: 15_000 }).toBeGreaterThan(first.reduce((a, b) => a + b, 0) + 16);
    // Sixteen chairs fit a 1920×1080 wall without scrolling.
    const lastCard = await wall.getByTestId('chair-card').last().boundingBox();
    expect(lastCard!.y + lastCard!.height).toBeLessThanOrEqual(1080);
    await wall.screenshot({ path: `${screenshots}/supervisor-wall.png` });

    // A click on a chair opens its operator view.
    const card = wall.getByTestId('chair-card').first();
    const chairId = await card.getAttribute('data-chair');
    await card.click();
    await wall.waitForURL(`${target.url}/chairs/${chairId}`);
  });

  it('the operator view follows the device: cycle rate, band, needles and dots', async () => {
    const target = await server();
    const ids = await chairWithDevice(target.api, 'Chair 1');
    await target.api.startSession({ chairId: ids.chairId, operatorId: 'op-7', patientRef: 'P-0042' });
    const { device } = await RawDevice.hello(target.deviceUrl, ids.deviceId, ids.token);
    cleanup(() => device.close());
    const tablet = await page(target, `/chairs/${ids.chairId}`);

    device.send(tel(1, { cycleHz: 137.4, needles: 3 }));
    await expect.poll(() => text(tablet, '[data-testid="cycle-hz"]')).toBe('137');
    expect(await text(tablet, '[data-testid="needles"]')).toBe('3');
    await expect.poll(() => tablet.getByRole('status').first().innerText()).toContain('In band');

    device.send(tel(2, { cycleHz: 88, needles: 3 }));
    await expect.poll(() => text(tablet, '[data-testid="cycle-hz"]')).toBe('88');
    await expect.poll(() => tablet.getByRole('status').first().innerText()).toContain('Too slow');
    // Both readings are on the chart, the one that came before the page had drawn it too.
    await expect.poll(() => tablet.locator('.chart[data-points]').getAttribute('data-points')).toBe('2');

    device.send([dot(3, { region: 'crown' }), dot(4, { region: 'crown' }), dot(5, { region: 'occipital' })]);
    await expect.poll(() => text(tablet, '[data-testid="dots-total"]')).toBe('3');
    expect(await text(tablet, '[data-testid="dots-region"]')).toBe('1');

    // Turned to portrait, the tablet still shows everything without sideways scrolling.
    await tablet.setViewportSize({ width: 800, height: 1280 });
    expect(await tablet.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
    await expect.poll(() => text(tablet, '[data-testid="cycle-hz"]')).toBe('88');
    await tablet.screenshot({ path: `${screenshots}/operator-tablet-portrait.png`, fullPage: true });
  });

  it('tapping a region on the scalp map reaches the simulated handpiece, whose dots then land there', async () => {
    const target = await server();
    const simulator = await Simulator.start({
      serverUrl: target.url, adminToken: ADMIN_TOKEN, chairs: 1, speed: 3, seed: 2, scenario: 'steady', startSessions: true, telHz: 20,
    });
    cleanup(() => simulator.stop());
    const [chair] = simulator.chairs;
    const tablet = await page(target, `/chairs/${chair!.chairId}`);
    await tapRegion(tablet, 'crown');
    await waitFor(() => chair!.client.region === 'crown', 5_000, 'the region to reach the handpiece');
    await expect.poll(() => tablet.locator('[data-region="crown"]').getAttribute('aria-pressed')).toBe('true');
    // The simulated operator works where they tapped; a few seconds of it before the README's picture.
    // The demo session follows its plan, so the tablet counts down what is left in the crown.
    const crownDone = async () => Number((await text(tablet, '[data-testid="region-plan"]')).match(/([\d,]+) of [\d,]+ dots/)?.[1]?.replace(/,/g, ''));
    await expect.poll(crownDone, { timeout: 20_000 }).toBeGreaterThan(5);
    expect(await text(tablet, '[data-testid="region-left"]')).toMatch(/^Left in Crown\s+[\d,]+$/);
    await tablet.screenshot({ path: `${screenshots}/operator-tablet.png` });
  });

  it('a session is started and ended from the tablet, and a patient name is refused at the field', async () => {
    const target = await server();
    const ids = await chairWithDevice(target.api, 'Chair 1');
    expect((await target.request('POST', '/api/people', { name: 'Cleo', role: 'operator', secret: '3141' })).status).toBe(201);
    const tablet = await page(target, `/chairs/${ids.chairId}`);
    await tablet.getByLabel('Operator').selectOption({ label: 'Cleo' });
    await tablet.getByLabel('Patient code').fill('Jane Doe');
    await tablet.getByRole('button', { name: 'Start session' }).click();
    await expect.poll(() => tablet.locator('[data-field="patientRef"]').innerText()).toContain('patient code');
    expect((await target.api.chairs())[0]!.session).toBeNull();

    await tablet.getByLabel('Patient code').fill('P-0007');
    await tablet.getByRole('button', { name: 'Start session' }).click();
    await expect.poll(async () => (await target.api.chairs())[0]!.session?.patientRef).toBe('P-0007');
    await tablet.getByRole('button', { name: 'End session' }).click();
    await tablet.getByRole('button', { name: 'Tap again to end' }).click();
    await expect.poll(async () => (await target.api.chairs())[0]!.session).toBeNull();
  });

  it('after a server restart the views reconnect by themselves, without a reload', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    let target = await server({ dataDir, port });
    const ids = await chairWithDevice(target.api, 'Chair 1');
    const wall = await page(target, '/');
    await expect.poll(() => wall.getByTestId('live-status').innerText()).toContain('Live');
    await wall.evaluate(() => Object.assign(window, { stippleMarker: 'same page' }));

    await target.close();
    await expect.poll(() => wall.getByTestId('live-status').innerText()).toContain('Reconnecting');
    target = await server({ dataDir, port });
    await expect.poll(() => wall.getByTestId('live-status').innerText(), { timeout: 15_000 }).toContain('Live');
    expect(await wall.evaluate(() => (window as unknown as { stippleMarker?: string }).stippleMarker)).toBe('same page');

    // And the data flows again: a device's dot after the restart shows up.
    await target.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-1' });
    const { device } = await RawDevice.hello(target.deviceUrl, ids.deviceId, ids.token);
    cleanup(() => device.close());
    device.send(dot(1));
    await expect.poll(() => text(wall, '[data-testid="dots-total"]')).toBe('1');
  });
});
