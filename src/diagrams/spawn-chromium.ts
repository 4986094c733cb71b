import type { Browser, LaunchOptions } from 'playwright-core';

/** The machine's browser: Debian's Chromium. bookrun never downloads one. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags this kind of machine needs: no sandbox (as root, in containers), no GPU, and none of Chromium's
 * background networking (a closed network refuses it many times a second; bookrun's pages load nothing).
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Chromium is missing: what to install, instead of playwright's long message. */
export class ChromiumMissingError extends Error {
  constructor(readonly executable: string) {
    super(`no Chromium at ${executable}: bookrun renders diagrams in the machine's browser; install it (apt-get install chromium)`);
    this.name = 'ChromiumMissingError';
  }
}

/**
 * Starts headless Chromium through playwright-core (loaded only now: most commands never need it). The
 * caller closes the browser, pass or fail.
 */
export async function spawnChromium(options: LaunchOptions = {}): Promise<Browser> {
  const { existsSync } = await import('node:fs');
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  if (!existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ headless: true, args: CHROMIUM_ARGS, ...options, executablePath });
}
