import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { isOnScalp } from '../../server/scalp/regions.ts';
import { standardArea, templateRegion } from '../../server/plans/templates.ts';
import { treatmentView, type PlanView } from '../../server/protocol/plan.ts';
import { signIn } from '../helpers/browser.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { tapRegion } from '../helpers/scalp-map.ts';
import { storedPlan as stored } from '../helpers/plan-record.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';


const suite = browserSuite();
let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

const storedPlan = (id: string): Promise<PlanView> => stored(server, id);

/** Where a point of the normalised scalp map is on screen (the map's viewBox is -8 -12 116 120). */
async function onMap(page: Page, x: number, y: number) {
  const box = (await page.getByRole('group', { name: /Scalp map/ }).boundingBox())!;
  return { x: box.x + ((x * 100 + 8) / 116) * box.width, y: box.y + ((y * 100 + 12) / 120) * box.height };
}

describe('treatment plans in Chromium', () => {
  it('the plan editor refuses a density above 1 mm spacing with a message next to the field', async () => {
    server = await startTestServer({ webRoot });
    const created = await server.request('POST', '/api/treatments', { patientRef: 'P-0042', sessions: 3 });
    expect(created.status).toBe(201);
    const planId = treatmentView.parse(await created.json()).plans[0]!.id;
    const before = await storedPlan(planId);

    const page = await suite.page();
    await signIn(page, server.url, `/plans/${planId}`);
    await expect.poll(() => page.getByTestId('session').innerText()).toBe('Session 1 of 3');

    // Tap the crown on the map, ask for 140 dots/cm², then look at another region before saving.
    await tapRegion(page, 'crown');
    const density = page.locator('[data-region-fields="crown"]').getByLabel('Density (dots/cm²)');
    await density.fill('140');
    await page.locator('tr[data-row="hairline"] td').nth(1).click();
    await expect.poll(() => page.locator('[data-region-fields]').getAttribute('data-region-fields')).toBe('hairline');
    await page.getByRole('button', { name: 'Save plan' }).click();

    // The editor brings the crown back, with the server's own words right under its density field.
    const message = page.locator('[data-field="regions.crown.density"]');
    await expect.poll(() => message.innerText()).toBe('above 100 dots/cm², closer than 1 mm dot spacing allows');
    expect(await page.locator('[data-region-fields]').getAttribute('data-region-fields')).toBe('crown');
    expect(await density.getAttribute('aria-invalid')).toBe('true');
    expect(await density.getAttribute('aria-describedby')).toBe(await message.getAttribute('id'));
    const input = (await density.boundingBox())!;
    const text = (await message.boundingBox())!;
    expect(text.y - (input.y + input.height)).toBeGreaterThanOrEqual(0);
    expect(text.y - (input.y + input.height)).toBeLessThan(24);
    expect(text.x).toBeLessThan(input.x + input.width);
    expect(text.x + text.width).toBeGreaterThan(input.x);
    // The table says it too, under the crown's row, and the page says the plan is not saved.
    expect(await page.locator('[data-region-errors="crown"]').innerText()).toContain('above 100 dots/cm²');
    expect(await page.getByTestId('save-state').innerText()).toBe('Unsaved changes');

    expect(await storedPlan(planId)).toEqual(before);
  });

  it('the new-treatment form refuses a patient name where the patient code goes, next to the field', async () => {
    server = await startTestServer({ webRoot });
    const page = await suite.page();
    await signIn(page, server.url, '/plans');
    await page.getByLabel('Patient code').fill('Jane Doe');
    await page.getByRole('button', { name: 'Create treatment' }).click();
    await expect.poll(() => page.locator('[data-field="patientRef"]').innerText()).toContain('no names');
    expect(await page.getByLabel('Patient code').getAttribute('aria-invalid')).toBe('true');
    const listed = treatmentView.array().parse(await (await server.request('GET', '/api/treatments')).json());
    expect(listed).toEqual([]);
  });

  it('a supervisor creates a treatment, picks the fill-in template, places a strip scar and saves; the plan reloads with it', async () => {
    server = await startTestServer({ webRoot });
    await server.request('POST', '/api/people', { name: 'Sam', role: 'supervisor', secret: 'lead-of-the-floor' });
    const page = await suite.page();
    await page.goto(`${server.url}/sign-in?next=/plans`);
    await page.getByRole('button', { name: /^Sam/ }).click();
    await page.getByLabel('Password').fill('lead-of-the-floor');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/plans`);

    // A new treatment: three sessions, a large head, the African reference.
    await page.getByLabel('Patient code').fill('P-0107');
    await page.getByRole('group', { name: 'Sessions' }).getByRole('button', { name: '3' }).click();
    await page.getByRole('group', { name: 'Head size' }).getByRole('button', { name: 'Large' }).click();
    await page.getByLabel('Reference population').selectOption('african');
    await page.getByRole('button', { name: 'Create treatment' }).click();
    const row = page.locator('tr[data-patient="P-0107"]');
    await expect.poll(() => row.getByRole('link', { name: /^Session \d/ }).count()).toBe(3);
    await row.getByRole('link', { name: /^Session 1/ }).click();
    await page.waitForURL(/\/plans\/[^/]+$/);
    const planId = page.url().split('/').pop()!;
    await expect.poll(() => page.getByTestId('session').innerText()).toBe('Session 1 of 3');

    // The fill-in template sets every region's density; the crown shows it.
    await page.getByRole('button', { name: /Fill-in second session/ }).click();
    await tapRegion(page, 'crown');
    const crown = templateRegion('fill-in', 'african', 'crown', 'normal');
    expect(await page.getByLabel('Density (dots/cm²)').inputValue()).toBe(String(crown.density));

    // A strip scar across the back of the head: name it, tap the map, make it longer.
    await page.getByRole('button', { name: '+ Add scar' }).click();
    await page.getByLabel('Scar name').fill('Strip');
    const where = await onMap(page, 0.5, 0.85);
    await page.mouse.click(where.x, where.y);
    await expect.poll(() => page.locator('[data-region-fields]').getAttribute('data-region-fields')).toBe('scar-strip');
    await page.getByLabel(/^Length/).fill('14');
    await page.getByLabel('Note for the operator').fill('Blend into the occipital on both sides');
    await page.getByRole('button', { name: 'Save plan' }).click();
    await expect.poll(() => page.getByTestId('save-state').innerText()).toMatch(/^Saved/);

    const stored = await storedPlan(planId);
    expect(stored.template).toBe('fill-in');
    expect(stored.regions.crown).toMatchObject({ density: crown.density, needles: crown.needles, areaCm2: standardArea('crown', 1.15) });
    const scar = stored.regions['scar-strip']!;
    expect(scar).toMatchObject({ label: 'Strip', skin: 'scar', note: 'Blend into the occipital on both sides' });
    expect(scar.outline).toHaveLength(12);
    expect(scar.outline!.every(([x, y]) => isOnScalp(x, y))).toBe(true);
    const xs = scar.outline!.map(([x]) => x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0.4); // 14 cm across a large head
    expect(scar.areaCm2).toBeGreaterThan(5);
    expect(scar.areaCm2).toBeLessThan(20);

    // After a reload the scar is on the map and in the table; a row click selects it.
    await page.reload();
    await expect.poll(() => page.locator('polygon[data-region="scar-strip"][role="button"]').count()).toBe(1);
    await page.locator('tr[data-row="scar-strip"] td').nth(2).click();
    await expect.poll(() => page.locator('[data-region-fields]').getAttribute('data-region-fields')).toBe('scar-strip');
    expect(await page.getByLabel('Scar name').inputValue()).toBe('Strip');
    expect(await page.getByLabel(/^Length/).inputValue()).toBe('14');
    expect(await page.getByLabel(/^Angle/).inputValue()).toBe('0');
    expect(await page.getByTestId('session-length').innerText()).toMatch(/^\d+ h( \d+ min)?$|^\d+ min$/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${screenshots}/plan-editor.png` });
  });
});
