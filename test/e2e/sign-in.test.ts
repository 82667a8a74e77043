import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { browserSuite, webRoot } from '../helpers/browser-suite.ts';
import { chairWithDevice, startTestServer, type TestServer } from '../helpers/server.ts';

const suite = browserSuite();
let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

async function tablet(): Promise<Page> {
  const page = await suite.page();
  await page.goto(`${server.url}/sign-in`);
  return page;
}

async function setUp() {
  server = await startTestServer({ webRoot });
  const chair = await chairWithDevice(server.api, 'Chair 3');
  await server.request('POST', '/api/people', { name: 'Ana', role: 'operator', secret: '4821' });
  const sam = (await (await server.request('POST', '/api/people', { name: 'Sam', role: 'supervisor', secret: 'lead-of-the-floor' })).json()) as { id: string };
  return { ...chair, sam: sam.id };
}

/** Sam signs in with his password on the sign-in screen and lands on the wall. */
async function samOnTheWall(): Promise<Page> {
  const page = await tablet();
  await page.getByRole('button', { name: /^Sam/ }).click();
  await page.getByLabel('Password').fill('lead-of-the-floor');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}/`);
  await expect.poll(() => page.getByTestId('chair-card').count()).toBe(1);
  return page;
}

async function tapPin(page: Page, pin: string) {
  for (const digit of pin) await page.getByRole('button', { name: digit, exact: true }).click();
  await page.getByRole('button', { name: 'OK' }).click();
}

describe('signing in at the clinic', () => {
  it('an operator taps their name and the tablet\'s chair, enters the PIN on the pad, and lands on that chair', async () => {
    const chair = await setUp();
    const page = await tablet();
    await page.getByRole('button', { name: /^Ana/ }).click();
    await page.getByRole('button', { name: 'Chair 3' }).click();
    await tapPin(page, '4821');
    await page.waitForURL(`${server.url}/chairs/${chair.chairId}`);
    await expect.poll(() => page.getByTestId('live-status').innerText()).toContain('Live');
    await expect.poll(() => page.locator('.who').innerText()).toContain('Ana · operator');
  });

  it('a supervisor signs in with a password and sees the wall', async () => {
    await setUp();
    await samOnTheWall();
  });

  it('wrong PINs lock the operator out with a message that says when to retry', async () => {
    await setUp();
    const page = await tablet();
    await page.getByRole('button', { name: /^Ana/ }).click();
    await page.getByRole('button', { name: 'Chair 3' }).click();
    for (let i = 0; i < 4; i++) {
      await tapPin(page, '0000');
      await expect.poll(() => page.getByRole('alert').innerText()).toContain('not right');
    }
    await tapPin(page, '0000');
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/try again in \d+ s/);
    await tapPin(page, '4821'); // even the right PIN waits out the lock
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/try again in \d+ s/);
    expect(page.url()).toContain('/sign-in');
  });

  it('a supervisor disabled while the wall is open is sent to sign-in, and the wall stops updating', async () => {
    const { sam } = await setUp();
    const page = await samOnTheWall();
    expect((await server.request('POST', `/api/people/${sam}/disable`, {})).status).toBe(200);
    await page.waitForURL(/\/sign-in/, { timeout: 5_000 });
  });
});
