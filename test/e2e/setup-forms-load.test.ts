import type { Route } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { browserSuite, webRoot } from '../helpers/browser-suite.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const suite = browserSuite();
let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

/** Each form on the set-up page that edits a saved setting, and where its saved value comes from. */
const EDIT_FORMS = [
  { form: 'The clinic', path: '/api/clinic' },
  { form: 'Break policy', path: '/api/breaks/policy' },
  { form: 'Alarms', path: '/api/alarms/settings' },
  { form: 'Overwork hints', path: '/api/guidance/settings' },
];

describe('the set-up page\'s settings forms', () => {
  it('take no typing before their saved values arrive, so a slow answer never overwrites what the admin typed', async () => {
    server = await startTestServer({ webRoot });
    const page = await suite.signedIn(server.url, '/');
    const held: Route[] = [];
    for (const { path } of EDIT_FORMS) {
      await page.route(`${server.url}${path}`, (route) => (route.request().method() === 'GET' ? held.push(route) : route.continue()));
    }
    await page.goto(`${server.url}/setup`);
    await expect.poll(() => new Set(held.map((route) => new URL(route.request().url()).pathname)).size).toBe(EDIT_FORMS.length);

    for (const { form } of EDIT_FORMS) {
      expect(await page.getByRole('form', { name: form }).locator('input, select').count(), form).toBe(0);
    }
    for (const route of held) await route.continue();
    for (const { form } of EDIT_FORMS) {
      await expect.poll(() => page.getByRole('form', { name: form }).locator('input, select').count(), { message: form }).toBeGreaterThan(0);
    }

    const clinic = page.getByRole('form', { name: 'The clinic' });
    await clinic.getByLabel('Clinic name').fill('Northside SMP');
    await clinic.getByRole('button', { name: 'Save name' }).click();
    await expect.poll(() => clinic.getByRole('status').innerText()).toBe('Saved.');
    expect(await clinic.getByLabel('Clinic name').inputValue()).toBe('Northside SMP');
  });
});
