/**
 * The one way tests start a browser: Debian's Chromium (`/usr/bin/chromium`, which `npm test` installs when it
 * is missing) driven by playwright-core, headless, with the flags this kind of machine needs (no sandbox as
 * root, no GPU, and no background networking, which a closed network refuses many times a second).
 */
import { rmSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type LaunchOptions } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../diagrams/spawn-chromium.ts';

// The one browser and its flags, shared with the diagram renderer (which runs outside tests too).
export { CHROMIUM_ARGS, CHROMIUM_PATH };

const base = (): LaunchOptions => ({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });

/** A browser; close it in the test's `afterAll`. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ ...base(), ...options });
}

/** A browser with a profile folder of its own (local storage survives page reloads). */
export function launchChromiumContext(userDataDir: string, options: Parameters<typeof chromium.launchPersistentContext>[1] = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { ...base(), ...options });
}

/**
 * A browser for a whole test file: launched in `beforeAll`, closed in `afterAll` (then `cleanup`, a folder the
 * file made, is removed). Read it as `chrome.browser` inside the tests.
 */
export function useChromium(cleanup?: string): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (cleanup) rmSync(cleanup, { recursive: true, force: true });
  });
  return {
    get browser() {
      if (!browser) throw new Error('useChromium: the browser is launched in beforeAll; read it inside a test');
      return browser;
    },
  };
}
