/**
 * The one way tests start a browser: Debian's Chromium (`/usr/bin/chromium`, which `npm test` installs when it
 * is missing) driven by playwright-core, headless, with the flags this kind of machine needs (no sandbox as
 * root, no GPU, and no background networking, which a closed network refuses many times a second).
 */
import { chromium, type Browser, type BrowserContext, type LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const base = (): LaunchOptions => ({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });

/** A browser; close it in the test's `afterAll`. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ ...base(), ...options });
}

/** A browser with a profile folder of its own (local storage survives page reloads). */
export function launchChromiumContext(userDataDir: string, options: Parameters<typeof chromium.launchPersistentContext>[1] = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { ...base(), ...options });
}
