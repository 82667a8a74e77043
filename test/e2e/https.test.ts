import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pairingCode } from '../../server/protocol/pairing.ts';
import { ensureClinicCertificates } from '../../server/tls/clinic-ca.ts';
import { publicKeyPin } from '../../server/tls/fingerprint.ts';
import { currentBoxNames } from '../../server/tls/names.ts';
import { launchBrowser, signIn } from '../helpers/browser.ts';
import { browserSuite, webRoot } from '../helpers/browser-suite.ts';
import { dot, RawDevice } from '../helpers/raw-device.ts';
import { chairWithDevice, startTestServer, tempDir, type TestServer } from '../helpers/server.ts';

/** The default browser of the suite trusts nothing of ours; `trusting` is a tablet with the clinic CA installed. */
const suite = browserSuite();
let trusting: Browser;
let tlsDir: string;
let caPem: string;
let server: TestServer;

beforeAll(async () => {
  // One clinic CA for every server of this file, so that one browser can trust it.
  tlsDir = join(tempDir(), 'tls');
  caPem = (await ensureClinicCertificates({ dir: tlsDir, names: currentBoxNames(), now: Date.now(), label: 'e2e' })).ca.certPem;
  // Chromium's stand-in for an installed CA: certificate errors are ignored for chains holding this key.
  trusting = await launchBrowser([`--ignore-certificate-errors-spki-list=${publicKeyPin(caPem)}`]);
});
afterAll(async () => {
  await trusting?.close();
  rmSync(join(tlsDir, '..'), { recursive: true, force: true });
});
afterEach(async () => {
  await server.dispose();
});

async function start() {
  server = await startTestServer({ webRoot, tls: { httpsPort: 0, dir: tlsDir } });
  return server.httpsUrl!;
}

async function tablet(): Promise<Page> {
  const context = await trusting.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  suite.cleanup(() => context.close());
  return context.newPage();
}

describe('the dashboard over HTTPS', () => {
  it('a browser that trusts the clinic CA signs in over HTTPS and watches the wall live over WSS', async () => {
    const httpsUrl = await start();
    const ids = await chairWithDevice(server.api, 'Chair 1');
    await server.api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-1' });
    const page = await tablet();
    await signIn(page, httpsUrl, '/');
    await expect.poll(() => page.getByTestId('live-status').innerText()).toContain('Live');
    const cookies = await page.context().cookies(httpsUrl);
    expect(cookies.find((c) => c.name === 'stipple_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });

    const { device } = await RawDevice.hello(`wss://127.0.0.1:${server.httpsPort}/ws/device`, ids.deviceId, ids.token, { ca: caPem });
    device.send(dot(1));
    await device.acked(1);
    await expect.poll(() => page.getByTestId('dots-total').innerText()).toBe('1');
    device.close();
  });

  it('a browser without the clinic CA is stopped at the same page with a certificate error', async () => {
    const httpsUrl = await start();
    const page = await suite.page();
    await expect(page.goto(`${httpsUrl}/sign-in`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
  });

  it('the setup page offers the clinic CA with its fingerprint and install steps, and pairing shows the fingerprint with the token', async () => {
    const httpsUrl = await start();
    await server.api.createChair('Chair 1');
    const fingerprint = server.clinicCa!.fingerprint;
    const page = await tablet();
    await signIn(page, httpsUrl, '/setup');

    const card = page.getByTestId('clinic-ca');
    await expect.poll(() => card.getByTestId('ca-fingerprint').innerText()).toBe(fingerprint);
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download the clinic CA' }).click()]);
    expect(download.suggestedFilename()).toBe('stipple-clinic-ca.crt');
    expect(readFileSync(await download.path(), 'utf8')).toBe(caPem);
    await card.getByText('iPad (iPadOS)').click();
    await expect.poll(() => card.innerText()).toContain('Certificate Trust Settings');

    await page.getByLabel('Device name').fill('Handpiece 1');
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    await expect.poll(() => page.getByTestId('device-ca-fingerprint').innerText()).toBe(fingerprint);
    // The QR code for the handpiece's app names the server as the tablet reached it, over HTTPS, and the CA to pin.
    const code = pairingCode.parse(JSON.parse((await page.getByTestId('pairing-qr').getAttribute('data-pairing-code'))!));
    expect(code).toMatchObject({ server: new URL(httpsUrl).origin, caFingerprint: fingerprint });
  });
});
