import { cpSync } from 'node:fs';
import path from 'node:path';

/**
 * Copies a fixture folder for a test to work in, without any `.bookrun/` folder in it: a command run where the
 * fixture lives (a plan of a chapter in place) leaves bookrun's cache there, and a copy must start as a fresh
 * clone's fixture does (tests check that a refused command writes no `.bookrun/`).
 */
export function copyFixture(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (source) => path.basename(source) !== '.bookrun' });
}
