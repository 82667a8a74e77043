import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN_TOKEN } from './server.ts';

/** Debian's chromium; test/ensure-chromium.ts installs it when it is missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `extraArgs`: more Chromium switches, e.g. the clinic CA's pin for an HTTPS test. */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: run "apt-get install chromium"`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // This machine has no network beyond loopback: keep Chromium from reaching for Google.
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...extraArgs,
    ],
  });
}

/** Signs the page in with the admin token through the real sign-in form, as a person setting up would. */
export async function signIn(page: Page, baseUrl: string, next = '/'): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?method=token&next=${encodeURIComponent(next)}`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${baseUrl}${next}`);
}
