import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { treatmentView } from '../../server/protocol/plan.ts';
import { browserSuite, webRoot } from '../helpers/browser-suite.ts';
import { dot, RawDevice, tel } from '../helpers/raw-device.ts';
import { chairWithDevice, startTestServer, type TestServer } from '../helpers/server.ts';

const suite = browserSuite();
const routesDir = fileURLToPath(new URL('../../web/src/routes', import.meta.url));

/** Every page of the dashboard, as its folder under web/src/routes names it: "/", "/chairs/[id]", … */
function pageRoutes(): string[] {
  return readdirSync(routesDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('+page.svelte'))
    .map((file) => `/${file.replace(/\\/g, '/').replace(/\/?\+page\.svelte$/, '')}`)
    .sort();
}

/**
 * Something real behind every page: a chair with its handpiece, an operator, a treatment with its
 * plans, and a session started, worked and ended, so that its report exists.
 */
async function clinic(server: TestServer): Promise<Record<string, string>> {
  const ids = await chairWithDevice(server.api, 'Chair 1');
  const ana = ((await (await server.request('POST', '/api/people', { name: 'Ana', role: 'operator', secret: '4821' })).json()) as { id: string }).id;
  const treatment = treatmentView.parse(await (await server.request('POST', '/api/treatments', { patientRef: 'P-0142', sessions: 3 })).json());
  const plan = treatment.plans[0]!.id;
  const session = await server.api.startSession({ chairId: ids.chairId, operatorId: ana, patientRef: 'P-0142', planId: plan });
  const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
  suite.cleanup(() => device.close());
  device.send([tel(1, { cycleHz: 124 }), ...Array.from({ length: 20 }, (_, i) => dot(i + 2, { region: 'crown' })), tel(22, { running: false, cycleHz: 0 })]);
  await device.acked(22);
  await server.api.endSession(session.id);
  return { chairs: ids.chairId, operators: ana, plans: plan, sessions: session.id, treatments: treatment.id };
}

/** The route with its `[param]` filled by the id of its kind; a page of a new kind fails here until it gets one. */
function fill(route: string, ids: Record<string, string>): string {
  return route.replace(/\/([^/]+)\/\[[^\]]+\]/g, (_, kind: string) => {
    const id = ids[kind];
    if (!id) throw new Error(`no id for ${route}: give the test one of kind "${kind}"`);
    return `/${kind}/${id}`;
  });
}

/** What went wrong in a page: console errors, uncaught exceptions, failed or refused requests; and every live socket it opened. */
function watch(page: Page) {
  const problems: string[] = [];
  const sockets: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  page.on('websocket', (socket) => sockets.push(new URL(socket.url()).pathname));
  return { problems, sockets };
}

/** Opened, drawn, and done asking the server: a live page once its feed is live. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  const status = page.getByTestId('live-status');
  if ((await status.count()) > 0) await expect.poll(() => status.first().innerText()).toContain('Live');
}

describe('every page in Chromium, signed out and signed in', () => {
  it('the route list comes from the pages under web/src/routes', () => {
    const routes = pageRoutes();
    expect(routes).toContain('/');
    expect(routes).toContain('/sign-in');
    expect(routes).toContain('/chairs/[id]');
  });

  it('signed out, every page goes to sign-in without a console error and without opening the live feed', async () => {
    const server = await startTestServer({ webRoot, backups: { nightlyAt: null } });
    suite.cleanup(() => server.dispose());
    const ids = await clinic(server);
    for (const route of pageRoutes()) {
      const path = fill(route, ids);
      const page = await suite.page();
      const seen = watch(page);
      await page.goto(`${server.url}${path}`);
      if (route !== '/sign-in') await page.waitForURL(`${server.url}/sign-in?next=${encodeURIComponent(path)}`);
      await settle(page);
      await expect.poll(() => page.getByRole('heading', { name: 'Stipple' }).count()).toBe(1);
      expect({ path, ...seen }).toEqual({ path, problems: [], sockets: [] });
      await page.context().close();
    }
  });

  it('signed in as admin, every page opens without a console error, a page error or a failed request', async () => {
    const server = await startTestServer({ webRoot, backups: { nightlyAt: null } });
    suite.cleanup(() => server.dispose());
    const ids = await clinic(server);
    const page = await suite.signedIn(server.url, '/');
    await settle(page); // the wall's own requests done, before its reload counts them as aborted
    const seen = watch(page);
    for (const route of pageRoutes()) {
      const path = fill(route, ids);
      seen.problems.length = 0;
      await page.goto(`${server.url}${path}`);
      await settle(page);
      expect({ path, problems: seen.problems }).toEqual({ path, problems: [] });
    }
  });
});
