import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { treatmentView } from '../../server/protocol/plan.ts';
import { STANDARD_REGIONS } from '../../server/protocol/v1.ts';
import { VIEWS } from '../../server/scalp/views.ts';
import { signIn } from '../helpers/browser.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { storedPlan } from '../helpers/plan-record.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const suite = browserSuite();
let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

async function editorOfNewPlan(patientRef: string): Promise<{ page: Page; planId: string }> {
  server = await startTestServer({ webRoot });
  const created = await server.request('POST', '/api/treatments', { patientRef, sessions: 3 });
  const planId = treatmentView.parse(await created.json()).plans[0]!.id;
  const page = await suite.page({ width: 1280, height: 1000 });
  await signIn(page, server.url, `/plans/${planId}`);
  return { page, planId };
}

/** The map's point at (u, v) of the shown view's frame (width 100 units), on screen. */
async function onView(page: Page, u: number, v: number) {
  const svg = page.getByRole('group', { name: /^Scalp map/ });
  return svg.evaluate((el, [u, v]) => {
    const point = new DOMPoint(u * 100, v * 100).matrixTransform((el as SVGGraphicsElement).getScreenCTM()!);
    return { x: point.x, y: point.y };
  }, [u, v] as const);
}

const selectedRegion = (page: Page) => page.locator('[data-region-fields]').getAttribute('data-region-fields');

describe('the scalp map from above, behind and either side, in Chromium', () => {
  it('tapping each region named in each view selects that region', async () => {
    const { page } = await editorOfNewPlan('P-0601');
    const tapped = new Set<string>();
    for (const view of VIEWS) {
      await page.locator(`button[data-view="${view}"]`).click();
      await expect.poll(() => page.locator('.scalp').getAttribute('data-view')).toBe(view);
      const named = await page.locator('text[data-label]').evaluateAll((labels) => labels.map((l) => l.getAttribute('data-label')!));
      expect(named.length, view).toBeGreaterThanOrEqual(view === 'top' ? 9 : 4);
      for (const region of named) {
        // Names take no taps: a tap on a name lands on the region beneath it.
        const box = (await page.locator(`text[data-label="${region}"]`).boundingBox())!;
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        await expect.poll(() => selectedRegion(page), { timeout: 2_000 }).toBe(region);
        tapped.add(region);
      }
    }
    expect([...tapped].sort()).toEqual([...STANDARD_REGIONS].sort());
  });

  it('a strip scar placed on the back view lies across the back of the head: on the top view’s rim, and on the report', async () => {
    const { page, planId } = await editorOfNewPlan('P-0602');
    await page.locator('button[data-view="back"]').click();
    await page.getByRole('button', { name: '+ Add scar' }).click();
    await page.getByLabel('Scar name').fill('Strip');
    // Low across the back of the head, above the nape.
    const where = await onView(page, 0.5, 0.55);
    await page.mouse.click(where.x, where.y);
    await expect.poll(() => selectedRegion(page)).toBe('scar-strip');
    await page.getByLabel(/^Length/).fill('12');
    await page.getByRole('button', { name: 'Save plan' }).click();
    await expect.poll(() => page.getByTestId('save-state').innerText()).toMatch(/^Saved/);
    expect(await page.locator('polygon[data-region="scar-strip"][role="button"]').count()).toBe(1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${screenshots}/plan-editor-back-view-scar.png` });

    // Stored on the map, where the top view squeezes the back of the head into its rim.
    const scar = (await storedPlan(server, planId)).regions['scar-strip']!;
    expect(scar.outline!.every(([, y]) => y > 0.75)).toBe(true);
    await page.locator('button[data-view="top"]').click();
    expect(await page.locator('polygon[data-region="scar-strip"][role="button"]').count()).toBe(1);

    // The report of a session that followed the plan shows it too.
    const chair = await server.api.createChair('Chair 1');
    const session = await server.api.startSession({ chairId: chair.id, operatorId: 'op-ana', patientRef: 'P-0602', planId });
    expect((await server.request('POST', `/api/sessions/${session.id}/end`)).status).toBe(200);
    await page.goto(`${server.url}/sessions/${session.id}`);
    await expect.poll(() => page.locator('polygon[data-region="scar-strip"]').count()).toBe(1);
    await page.locator('button[data-view="back"]').click();
    await expect.poll(() => page.locator('polygon[data-region="scar-strip"]').count()).toBe(1);
  });
});
