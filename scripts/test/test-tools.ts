/**
 * The programs the test suite needs beside Node: a real browser for the site tests, ShellCheck for the
 * lint tests, curl and bash for the runnable chapter. Each is a Debian package of the same name.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { CHROMIUM_PATH as CHROMIUM } from '../../src/testing/launch-chromium.ts';

export interface TestTool {
  /** What the tests use it for (printed when it is missing). */
  purpose: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  /** Whether it is on this machine. */
  present: () => boolean;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `name` is an executable on PATH. */
export function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && executable(path.join(dir, name)));
}


export const TEST_TOOLS: TestTool[] = [
  { purpose: 'the browser tests (playwright-core drives it)', debianPackage: 'chromium', present: () => executable(CHROMIUM) },
  { purpose: 'the lint tests (bookrun lint runs it)', debianPackage: 'shellcheck', present: () => onPath('shellcheck') },
  { purpose: 'the runnable example chapter', debianPackage: 'curl', present: () => onPath('curl') },
  { purpose: 'every shell test', debianPackage: 'bash', present: () => onPath('bash') },
];

/** The tools that are missing, in the order above. */
export function missingTestTools(): TestTool[] {
  return TEST_TOOLS.filter((tool) => !tool.present());
}
