import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../device-sim/simulator.ts';
import { planView, treatmentView, type PlanRegion } from '../../server/protocol/plan.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { tapRegion } from '../helpers/scalp-map.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../helpers/server.ts';


const suite = browserSuite();
const cleanup = suite.cleanup;

/** A short plan a simulated handpiece finishes in seconds: three regions with work, the rest left out. */
async function smallPlan(server: TestServer, patientRef: string) {
  const created = await server.request('POST', '/api/treatments', { patientRef, sessions: 2 });
  const treatment = treatmentView.parse(await created.json());
  const plan = treatment.plans[0]!;
  const regions: Record<string, PlanRegion> = {};
  const work: Record<string, [number, number]> = { hairline: [3, 20], 'temporal-left': [4, 15], crown: [6, 25] };
  for (const [id, region] of Object.entries(plan.regions)) {
    const [areaCm2, density] = work[id] ?? [region.areaCm2, 0];
    regions[id] = { ...region, areaCm2, density };
  }
  const saved = await server.request('PUT', `/api/plans/${plan.id}`, { template: plan.template, regions });
  expect(saved.status).toBe(200);
  return planView.parse(await saved.json());
}

/** Coloured pixels on the heat layer's canvas. */
const paintedCells = (p: Page) =>
  p.getByTestId('heat-layer').evaluate((canvas: HTMLCanvasElement) => {
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
    return painted;
  });

describe('coverage against the plan, live in Chromium', () => {
  it('a session started on the tablet with the patient\'s plan fills the heatmap as the handpiece works, and a region pushed over target turns the over-target colour', async () => {
    const server = await startTestServer({ webRoot });
    cleanup(() => server.dispose());
    const chair = await server.api.createChair('Chair 1');
    const plan = await smallPlan(server, 'P-0142');

    expect((await server.request('POST', '/api/people', { name: 'Ana', role: 'operator', secret: '4821' })).status).toBe(201);
    const tablet = await suite.signedIn(server.url, `/chairs/${chair.id}`);

    // The session starts for Ana; the patient's code brings up the treatment's plans.
    await tablet.getByLabel('Operator').selectOption({ label: 'Ana' });
    await tablet.getByLabel('Patient code').fill('P-0142');
    await expect.poll(() => tablet.getByTestId('plan-select').inputValue()).toBe(plan.id);
    await tablet.getByRole('button', { name: 'Start session' }).click();
    await expect.poll(() => tablet.getByText('plan session 1 of 2').count()).toBe(1);
    expect(await paintedCells(tablet)).toBe(0);

    const simulator = await Simulator.start({
      serverUrl: server.url, adminToken: ADMIN_TOKEN, chairs: 1, speed: 25, seed: 3, scenario: 'steady', tickMs: 50,
    });
    cleanup(() => simulator.stop());

    // The handpiece works the plan: each region reaches its target and reads on target.
    const level = (region: string) => tablet.locator(`[data-fill="${region}"]`).getAttribute('data-level');
    for (const region of ['hairline', 'temporal-left', 'crown']) {
      await expect.poll(() => level(region), { timeout: 30_000 }).toBe('on');
    }
    expect(await level('midscalp')).toBe('none');
    await expect.poll(() => paintedCells(tablet)).toBeGreaterThan(40);
    // 3 cm² × 20 + 4 cm² × 15 + 6 cm² × 25 dots, each once.
    await expect.poll(() => tablet.getByTestId('dots-total').innerText(), { timeout: 30_000 }).toBe('270');

    // Back on the finished hairline, the operator touches it up: it goes over and says so.
    await tapRegion(tablet, 'hairline');
    await expect.poll(() => level('hairline'), { timeout: 30_000 }).toBe('over');
    expect(await tablet.locator('[data-fill="hairline"]').getAttribute('fill')).toBe('url(#over-hatch)');
    await expect.poll(() => tablet.getByTestId('region-left').innerText()).toMatch(/Over target in Hairline\s+\+\d+/);
    await expect.poll(() => tablet.locator('[data-kind="over-target"]').count()).toBe(1);
    const overColour = await tablet.getByTestId('heat-layer').evaluate((canvas: HTMLCanvasElement) => {
      // The middle of the hairline band on the 40×40 grid.
      const [r, g, b] = canvas.getContext('2d')!.getImageData(20, 2, 1, 1).data;
      return [r, g, b];
    });
    expect(overColour).toEqual([255, 45, 138]);

    // The guidance is stored, not only shown.
    const events = server.store.db.prepare("SELECT kind, region FROM guidance_events WHERE kind = 'over-target'").all();
    expect(events).toEqual([{ kind: 'over-target', region: 'hairline' }]);
  });

  it('the heatmap mid-session, for the docs', async () => {
    const server = await startTestServer({ webRoot });
    cleanup(() => server.dispose());
    const simulator = await Simulator.start({
      serverUrl: server.url, adminToken: ADMIN_TOKEN, chairs: 1, speed: 400, seed: 8, scenario: 'steady', startSessions: true, tickMs: 50,
    });
    cleanup(() => simulator.stop());
    const [chair] = await server.api.chairs();
    const tablet = await suite.signedIn(server.url, `/chairs/${chair!.id}`);
    await expect.poll(() => tablet.locator('[data-fill="temporal-right"]').getAttribute('data-level'), { timeout: 60_000 }).toBe('on');
    await tapRegion(tablet, 'frontal');
    await expect.poll(() => tablet.locator('[data-fill="frontal"]').getAttribute('data-level'), { timeout: 60_000 }).toBe('under');
    await tapRegion(tablet, 'hairline');
    await expect.poll(() => tablet.locator('[data-fill="hairline"]').getAttribute('data-level'), { timeout: 60_000 }).toBe('over');
    await tapRegion(tablet, 'frontal');
    await tablet.waitForTimeout(1500);
    await tablet.screenshot({ path: `${screenshots}/coverage-heatmap.png` });
  }, 180_000);
});
