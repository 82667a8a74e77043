import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchBrowser, signIn } from './browser.ts';

/** The built dashboard the test servers serve, and where browser tests leave their screenshots. */
export const webRoot = fileURLToPath(new URL('../../web/build', import.meta.url));
export const screenshots = fileURLToPath(new URL('../../docs/screenshots', import.meta.url));

type Step = () => unknown;

/**
 * One Chromium for a test file, and a list of things to undo after each test (the last added
 * first): browser windows, servers, devices, simulators.
 */
export function browserSuite() {
  let browser: Browser | undefined;
  const steps: Step[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
    mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step();
  });

  const suite = {
    get browser(): Browser {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    /** Undone after this test. */
    cleanup(step: Step): void {
      steps.push(step);
    },
    /** A fresh browser window (its own cookies), a laptop or tablet in landscape unless told. */
    async page(viewport = { width: 1280, height: 800 }): Promise<Page> {
      const context = await suite.browser.newContext({ viewport });
      steps.push(() => context.close());
      return context.newPage();
    },
    /** A fresh window signed in with the admin token, on `path` of the server at `url`. */
    async signedIn(url: string, path: string, viewport?: { width: number; height: number }): Promise<Page> {
      const page = await suite.page(viewport);
      await signIn(page, url, path);
      return page;
    },
  };
  return suite;
}
