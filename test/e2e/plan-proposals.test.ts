import { afterEach, describe, expect, it } from 'vitest';
import type { PlanView } from '../../server/protocol/plan.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { addVisit, storedPlan as stored, treatmentAfterFirstSession } from '../helpers/plan-record.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const suite = browserSuite();
let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

const storedPlan = (id: string): Promise<PlanView> => stored(server, id);

describe('the next plan from the record in Chromium', () => {
  it('a supervisor accepts the bleeding proposal, rejects the fill-in, saves: only the accepted change is in the plan, both in the audit', async () => {
    server = await startTestServer({ webRoot });
    // Session 1 worked the left temple to the whole treatment's goal (66 dots/cm² on 35 cm²).
    const { treatment } = await treatmentAfterFirstSession(server, { crown: 1500, hairline: 300, frontal: 1700, 'temporal-left': 2310 });
    addVisit(server, treatment.id, Date.now() + 21 * 86_400_000, [
      ['crown', 'bleeding', 'blurred dots at the whorl'],
      ['hairline', 'faded', 'patchy on the left'],
      ['frontal', 'healed-well'],
      ['parietal-left', 'colour-shift', 'slight blue cast'],
    ]);
    const second = treatment.plans[1]!;

    const page = await suite.signedIn(server.url, `/plans/${second.id}`, { width: 1280, height: 1000 });
    await expect.poll(() => page.getByTestId('session').innerText()).toBe('Session 2 of 3');
    const crownRow = page.locator('tr[data-record="crown"]');
    await expect.poll(() => crownRow.innerText()).toContain('Gentler pass for bleeding');
    expect(await crownRow.innerText()).toContain('Pigment bleeding / blurring');
    expect(await crownRow.innerText()).toContain('20 of 66 /cm²');
    expect(await page.locator('tr[data-record="temporal-left"]').innerText()).toContain('Goal reached: no new dots');

    await page.getByRole('button', { name: 'Accept for Crown' }).click();
    await page.getByRole('button', { name: 'Reject for Hairline' }).click();
    await expect.poll(() => crownRow.getByTestId('verdict').innerText()).toBe('Accepted');
    expect(await page.locator('tr[data-record="hairline"]').getByTestId('verdict').innerText()).toBe('Rejected');
    expect(await page.getByTestId('save-state').innerText()).toBe('Unsaved changes');

    // Accepting changed the crown's fields in the editor.
    await crownRow.getByRole('button', { name: 'Crown' }).click();
    const fields = page.locator('[data-region-fields="crown"]');
    expect(await fields.getByLabel('Density (dots/cm²)').inputValue()).toBe('13');
    expect(await fields.getByLabel('Pigment hue').inputValue()).toBe('charcoal, diluted');

    await page.getByRole('button', { name: 'Save plan' }).click();
    await expect.poll(() => page.getByTestId('save-state').innerText()).toMatch(/^Saved/);

    const stored = await storedPlan(second.id);
    expect(stored.regions.crown).toMatchObject({ density: 13, needles: 2, hue: 'charcoal, diluted' });
    expect(stored.regions.crown!.note).toContain('Bled at follow-up');
    expect(stored.regions.hairline).toEqual(second.regions.hairline);
    expect(stored.regions['parietal-left']).toEqual(second.regions['parietal-left']);
    expect(stored.regions['temporal-left']).toEqual(second.regions['temporal-left']);

    const audit = (await (await server.request('GET', '/api/audit?action=plan.update')).json()) as Array<{ detail: Record<string, unknown> }>;
    expect(audit.map((e) => e.detail.proposals)).toEqual([
      { accepted: [{ region: 'crown', kind: 'gentler-pass' }], rejected: [{ region: 'hairline', kind: 'fill-in' }] },
    ]);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${screenshots}/plan-proposals.png` });
  });
});
