/**
 * `npm test`: every test, on any machine of the kind the README names. In order:
 * 1. the programs the tests need (chromium, shellcheck, curl, bash) are here, or installed, or the run stops
 *    with the command to install them (scripts/test/provision-test-tools.ts);
 * 2. the project and the pure core typecheck (the core with no Node or DOM types);
 * 3. vitest runs every test file (arguments after `npm test --` go to vitest);
 * 4. nothing the tests started is still running (scripts/test/leftover-processes.ts): a leak fails the run.
 * Tests get a user cache folder of their own (`XDG_CACHE_HOME`), removed at the end.
 * The exit code is the first failing step's.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import { endLeftovers, TEST_RUN_MARKER } from './test/leftover-processes.ts';
import { provisionTestTools } from './test/provision-test-tools.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const marker = randomBytes(12).toString('hex');
// The tests' own user cache folder (bookrun keeps its cache key and the parser's compiled code there), not the
// machine user's; removed at the end.
const userCache = mkdtempSync(path.join(os.tmpdir(), 'bookrun-test-user-cache-'));
process.on('exit', () => rmSync(userCache, { recursive: true, force: true }));
const run = $({ cwd: root, stdio: 'inherit', nothrow: true, verbose: false, env: { ...process.env, [TEST_RUN_MARKER]: marker, XDG_CACHE_HOME: userCache } });

const tools = await provisionTestTools();
if (!tools.ok) {
  console.error(tools.message);
  process.exit(1);
}
for (const project of ['tsconfig.json', 'src/core/tsconfig.json']) {
  const tsc = await run`${bin('tsc')} -p ${project} --noEmit`;
  if (tsc.exitCode !== 0) {
    console.error(`npm test: tsc -p ${project} found type errors (above); no test was run`);
    process.exit(tsc.exitCode ?? 1);
  }
}
const vitest = await run`${bin('vitest')} run ${process.argv.slice(2)}`;
const left = await endLeftovers(marker);
if (left.length > 0) {
  console.error(`\nnpm test: FAILED: the tests left ${left.length} process(es) running (now killed); a test, or the code it tests, does not end what it starts:`);
  for (const p of left) console.error(`  pid ${p.pid} (${p.comm}): ${p.args}`);
  process.exit(1);
}
process.exit(vitest.exitCode ?? 1);
