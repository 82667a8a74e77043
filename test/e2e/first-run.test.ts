import jsQR from 'jsqr';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { pairingCode } from '../../server/protocol/pairing.ts';
import { DEVICE_PATH } from '../../server/protocol/v1.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { RawDevice, tel } from '../helpers/raw-device.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const suite = browserSuite();
let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

/** What a phone's camera would read from the QR code on the screen. */
async function scan(image: Locator): Promise<string | undefined> {
  const { data, info } = await sharp(await image.screenshot()).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data;
}

const steps = (page: Page) => page.getByTestId('setup-checklist').locator('[data-step]');
const done = async (page: Page) => steps(page).evaluateAll((items) => items.filter((i) => i.getAttribute('data-done') === 'true').map((i) => i.getAttribute('data-step')));

async function backToTheWall(page: Page) {
  await page.getByRole('link', { name: '‹ All chairs' }).click();
  await page.waitForURL(`${server.url}/`);
}

/** Follows a step's link from the wall's checklist. */
async function openStep(page: Page, title: string, path: string) {
  await page.getByTestId('setup-checklist').getByRole('link', { name: title }).click();
  await page.waitForURL(`${server.url}${path}`);
}

describe('a fresh box\'s first run', () => {
  it('the admin\'s checklist walks the box from the first sign-in to a live chair, ticking each step as it is done', async () => {
    server = await startTestServer({ webRoot });
    const page = await suite.signedIn(server.url, '/', { width: 1920, height: 1080 });
    await expect.poll(() => steps(page).count()).toBe(6);
    expect(await done(page)).toEqual([]);
    expect(await page.getByTestId('setup-progress').innerText()).toBe('0 of 6 done');

    // Name the clinic.
    await openStep(page, 'Name the clinic', '/setup#clinic');
    const clinic = page.getByRole('form', { name: 'The clinic' });
    await clinic.getByLabel('Clinic name').fill('Northside SMP');
    await clinic.getByRole('button', { name: 'Save name' }).click();
    await expect.poll(() => clinic.getByRole('status').innerText()).toBe('Saved.');

    // Add a chair and pair its handpiece, here on the same page.
    await page.getByLabel('Name', { exact: true }).fill('Chair 1');
    await page.getByRole('button', { name: 'Add chair' }).click();
    await expect.poll(() => page.locator('#pair select option').allInnerTexts()).toEqual(['Chair 1']);
    await page.getByLabel('Device name').fill('Handpiece 1');
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    const shown = page.getByTestId('device-token');
    const qr = shown.getByTestId('pairing-qr');
    await qr.locator('img').waitFor();
    const token = await shown.locator('code').first().innerText();
    const text = (await qr.getAttribute('data-pairing-code'))!;
    const code = pairingCode.parse(JSON.parse(text));
    expect(code).toEqual({ stipple: 'pairing', v: 1, server: server.url, deviceId: expect.stringMatching(/^dv_/), token });
    expect(await scan(qr.locator('img'))).toBe(text);

    await backToTheWall(page);
    await expect.poll(() => done(page)).toEqual(['clinic', 'chairs']);
    expect(await page.getByTestId('clinic-name').innerText()).toBe('Northside SMP');
    expect(await page.locator('[data-step="handpieces"]').innerText()).toContain('Chair 1: paired, not connected yet');

    // The people: an operator with a PIN, a supervisor with a password.
    await openStep(page, 'Add operators and supervisors', '/people');
    for (const [name, role, secret] of [['Ana', 'operator', '4821'], ['Sam', 'supervisor', 'lead-of-the-floor']] as const) {
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Role').selectOption(role);
      await page.getByLabel(role === 'operator' ? 'PIN (4–8 digits)' : 'Password (10+ characters)').fill(secret);
      await page.getByRole('button', { name: 'Add person' }).click();
      await expect.poll(() => page.getByRole('cell', { name, exact: true }).count()).toBe(1);
    }
    await backToTheWall(page);
    await expect.poll(() => done(page)).toEqual(['clinic', 'chairs', 'people']);
    expect(await page.getByTestId('setup-progress').innerText()).toBe('3 of 6 done');
    await page.screenshot({ path: `${screenshots}/first-run-checklist.png` });

    // Review the break policy and the alarms: saving them as they are is the review.
    await openStep(page, 'Review the break policy', '/setup#break-policy');
    const breaks = page.getByRole('form', { name: 'Break policy' });
    await breaks.getByRole('button', { name: 'Save break policy' }).click();
    await expect.poll(() => breaks.getByRole('status').innerText()).toBe('Saved.');
    await backToTheWall(page);
    await openStep(page, 'Review the alarm settings', '/setup#alarms');
    const alarms = page.getByRole('form', { name: 'Alarms', exact: true });
    await alarms.getByRole('button', { name: 'Save alarm settings' }).click();
    await expect.poll(() => alarms.getByRole('status').innerText()).toBe('Saved.');
    await backToTheWall(page);
    await expect.poll(() => done(page)).toEqual(['clinic', 'chairs', 'people', 'breaks', 'alarms']);

    // The handpiece's app connects with what the QR code holds: the last step ticks and the checklist goes.
    const { device } = await RawDevice.hello(new URL(DEVICE_PATH, code.server.replace(/^http/, 'ws')).toString(), code.deviceId, code.token);
    suite.cleanup(() => device.close());
    device.send(tel(1, { cycleHz: 121 }));
    const card = page.getByTestId('chair-card');
    await expect.poll(() => card.innerText()).toContain('Handpiece online');
    await expect.poll(() => card.getByTestId('cycle-hz').innerText()).toBe('121');
    await expect.poll(() => page.getByTestId('setup-checklist').count()).toBe(0);
    const checklist = (await (await server.request('GET', '/api/setup/checklist')).json()) as { steps: Array<{ done: boolean }>; closed: string };
    expect(checklist.steps.every((s) => s.done)).toBe(true);
    expect(checklist.closed).toBe('complete');

    // Once complete it stays gone.
    await page.reload();
    await expect.poll(() => page.getByTestId('live-status').innerText()).toContain('Live');
    expect(await page.getByTestId('setup-checklist').count()).toBe(0);
    // Nine pages walked through one after another: on a loaded CI machine that outlasts the default
    // test timeout, and a step that hangs should fail with its own action timeout, naming it.
  }, 150_000);

  it('a supervisor never sees the checklist; an admin may dismiss it unfinished, for good', async () => {
    server = await startTestServer({ webRoot });
    await server.request('POST', '/api/people', { name: 'Sam', role: 'supervisor', secret: 'lead-of-the-floor' });
    const admin = await suite.signedIn(server.url, '/');
    await expect.poll(() => steps(admin).count()).toBe(6);

    const supervisor = await suite.page();
    await supervisor.goto(`${server.url}/sign-in`);
    await supervisor.getByRole('button', { name: /^Sam/ }).click();
    await supervisor.getByLabel('Password').fill('lead-of-the-floor');
    await supervisor.getByRole('button', { name: 'Sign in' }).click();
    await supervisor.waitForURL(`${server.url}/`);
    await expect.poll(() => supervisor.locator('.who').innerText()).toContain('Sam · supervisor');
    await expect.poll(() => supervisor.getByTestId('live-status').innerText()).toContain('Live');
    expect(await supervisor.getByTestId('setup-checklist').count()).toBe(0);

    await admin.getByTestId('setup-checklist').getByRole('button', { name: 'Dismiss' }).click();
    await admin.getByRole('button', { name: 'Tap again to dismiss' }).click();
    await expect.poll(() => admin.getByTestId('setup-checklist').count()).toBe(0);
    await admin.reload();
    await expect.poll(() => admin.getByTestId('live-status').innerText()).toContain('Live');
    await expect.poll(() => admin.locator('.who').innerText()).toContain('admin');
    expect(await admin.getByTestId('setup-checklist').count()).toBe(0);
  });
});
