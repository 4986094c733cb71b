/**
 * Makes sure the programs the tests need are here before a single test runs. As root on Debian it
 * installs the missing packages with apt-get (as CI and a fresh container are); otherwise it stops with
 * the exact command to run. It never lets the suite start without them: a missing browser would otherwise
 * fail (or be skipped) test by test, far from the reason.
 */
import { $ } from 'zx';
import { onPath, TEST_TOOLS, type TestTool } from './test-tools.ts';

export type ProvisionResult = { ok: true; installed: string[] } | { ok: false; message: string };

function describe(missing: TestTool[]): string {
  return missing.map((t) => `  ${t.debianPackage.padEnd(11)} for ${t.purpose}`).join('\n');
}

export interface ProvisionOptions {
  tools?: TestTool[];
  /** Whether it may run apt-get (default: as root, where apt-get exists, unless BOOKRUN_TEST_NO_INSTALL=1). */
  mayInstall?: boolean;
  log?: (line: string) => void;
}

/** Checks the test tools and installs what is missing when it can. Failures are values, not exceptions. */
export async function provisionTestTools(options: ProvisionOptions = {}): Promise<ProvisionResult> {
  const tools = options.tools ?? TEST_TOOLS;
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const missingNow = () => tools.filter((t) => !t.present());
  const missing = missingNow();
  if (missing.length === 0) return { ok: true, installed: [] };
  const packages = missing.map((t) => t.debianPackage);
  const command = `apt-get install -y ${packages.join(' ')}`;
  const mayInstall = options.mayInstall ?? (process.getuid?.() === 0 && onPath('apt-get') && process.env.BOOKRUN_TEST_NO_INSTALL !== '1');
  if (!mayInstall) {
    const how = onPath('apt-get') ? `sudo ${command}` : `your system's packages for: ${packages.join(', ')}`;
    return { ok: false, message: `npm test: the tests need programs this machine does not have:\n${describe(missing)}\nInstall them, then run npm test again:\n  ${how}` };
  }
  log(`npm test: installing what the tests need (Debian packages: ${packages.join(', ')})…\n${describe(missing)}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const quiet = $({ env, nothrow: true, quiet: true });
  // A fresh machine has no package lists yet; an update is only worth its time when the install needs it.
  let result = await quiet`apt-get install -y -qq ${packages}`;
  if (result.exitCode !== 0) {
    const update = await quiet`apt-get update -qq`;
    if (update.exitCode !== 0) return { ok: false, message: `npm test: apt-get update failed (exit ${update.exitCode}):\n${update.stderr.trim()}\nRun it yourself, then: ${command}` };
    result = await quiet`apt-get install -y -qq ${packages}`;
  }
  if (result.exitCode !== 0) return { ok: false, message: `npm test: ${command} failed (exit ${result.exitCode}):\n${result.stderr.trim()}` };
  const still = missingNow();
  if (still.length > 0) return { ok: false, message: `npm test: installed ${packages.join(', ')}, but these are still missing:\n${describe(still)}` };
  log(`npm test: installed ${packages.join(', ')}`);
  return { ok: true, installed: packages };
}
