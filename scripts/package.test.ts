/**
 * The bookrun package as an author gets it: `npm pack` (which builds the compiled JavaScript), the tarball
 * installed with `npm install --save-dev ./bookrun-X.tgz` into a copy of a book in Leanpub's layout, and
 * there every command run on that book with `npx bookrun`: init, plan, run, lint, gists, export leanpub,
 * status, ci, build, serve, dev. The manuscript does not change by a single byte.
 *
 * The install reuses the npm cache the repository's own install filled (`--prefer-offline`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/testing/free-port.ts';
import { copyFixture } from '../src/testing/copy-fixture.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(repo, 'src/book/fixtures/leanpub-book');
const golden = path.join(repo, 'src/cli/commands/fixtures/init/leanpub-book.bookrun.yaml');
const version = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bookrun-package-'));
const book = path.join(tmp, 'canaries-everywhere');
const runtime = path.join(tmp, 'runtime');
let tarball: string;
let before: Record<string, string>;
const started: ChildProcess[] = [];

/** sha256 of every file under `folder`, by relative path. */
function hashes(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.relative(folder, path.join(e.parentPath, e.name))] = createHash('sha256').update(readFileSync(path.join(e.parentPath, e.name))).digest('hex');
  }
  return out;
}

/** The author's cache folder for this test (bookrun keeps the parser's compiled code there): not the machine user's. */
const userCache = () => path.join(tmp, 'user-cache');

/** The files a tarball holds. */
function listing(file: string): string[] {
  return spawnSync('tar', ['tzf', file], { encoding: 'utf8' }).stdout.split('\n');
}

/** `npx bookrun ARGS` in the book, as the author runs it. */
function npx(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync('npx', ['--no-install', 'bookrun', ...args], { cwd: book, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', BOOKRUN_RUNTIME_DIR: runtime, XDG_CACHE_HOME: userCache(), ...env }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `npx bookrun ARGS` left running (serve, dev); ended by the test or in afterAll. */
function start(args: string[]) {
  const child = spawn('npx', ['--no-install', 'bookrun', ...args], { cwd: book, env: { ...process.env, NO_COLOR: '1', BOOKRUN_RUNTIME_DIR: runtime, XDG_CACHE_HOME: userCache() }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = async (pattern: RegExp) => {
    for (let i = 0; i < 1200; i++) {
      const m = pattern.exec(out);
      if (m) return m;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no URL from bookrun ${args.join(' ')}:\n${out}`);
  };
  return { child, output: () => out, exited, url };
}

/** Ends a process started with `start` (SIGTERM to its group, as ctrl+c would reach it) and waits for it. */
async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
  await exited;
}

beforeAll(() => {
  const pack = spawnSync(npm, ['pack', '--pack-destination', tmp], { cwd: repo, encoding: 'utf8', timeout: 180_000 });
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  tarball = path.join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz'))!);
  mkdirSync(book);
  copyFixture(fixture, book);
  before = hashes(path.join(book, 'manuscript'));
  const install = spawnSync(npm, ['install', '--save-dev', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: book, encoding: 'utf8', timeout: 600_000 });
  if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
}, 900_000);

afterAll(async () => {
  for (const child of started) {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe('the bookrun package, installed into an author\'s book', () => {
  it('installs into a book with no package.json of its own, as the README\'s first command', () => {
    const manifest = JSON.parse(readFileSync(path.join(book, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    expect(manifest.devDependencies?.bookrun).toMatch(/^file:.*bookrun-.*\.tgz$/);
  });

  it('ships compiled JavaScript and the site, no TypeScript sources, and pins @swc/html for the author', () => {
    const files = listing(tarball);
    expect(files).toContain('package/bin/bookrun.mjs');
    expect(files).toContain('package/dist/bookrun.js');
    expect(files).toContain('package/dist/site/docusaurus-config.js');
    expect(files).toContain('package/dist/site/theme/CodeBlock/index.js');
    expect(files.some((f) => f.startsWith('package/src/') || f.endsWith('.ts') || f.endsWith('.tsx'))).toBe(false);
    const installed = JSON.parse(readFileSync(path.join(book, 'node_modules/bookrun/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(installed.dependencies['@swc/html']).toBe('1.16.2');
    expect((JSON.parse(readFileSync(path.join(book, 'node_modules/@swc/html/package.json'), 'utf8')) as { version: string }).version).toBe('1.16.2');
    // Build and test tools stay the repository's.
    for (const dev of ['tsx', 'vitest', 'typescript', 'txm', 'esbuild']) expect(installed.dependencies[dev], dev).toBeUndefined();
    expect(existsSync(path.join(book, 'node_modules/vitest'))).toBe(false);
    // playwright-core is the package's own: it drives the machine's Chromium to draw diagrams (no browser download).
    expect(installed.dependencies['playwright-core']).toBeDefined();
    expect(npx(['--version']).stdout.trim()).toBe(`bookrun ${version}`);
  });

  it('init writes the book config from manuscript/Book.txt, as from the sources, and refuses a second time', () => {
    const first = npx(['init']);
    expect(first.code, first.stderr).toBe(0);
    expect(readFileSync(path.join(book, 'bookrun.yaml'), 'utf8')).toBe(readFileSync(golden, 'utf8'));
    const again = npx(['init']);
    expect(again.code).toBe(2);
    expect(readFileSync(path.join(book, 'bookrun.yaml'), 'utf8')).toBe(readFileSync(golden, 'utf8'));
  });

  it('plan, lint, gists, export leanpub, status and ci work on the book', () => {
    const plan = npx(['plan', 'manuscript/01-setup.md', '--variant', 'eks-static']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Creating A Cluster — variant eks-static (cloud=eks, flavor=static)');
    const all = npx(['plan', '--variant', 'all', '--json']);
    expect((JSON.parse(all.stdout) as { plans: unknown[] }).plans).toHaveLength(48);
    const lint = npx(['lint']);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('manuscript/01-setup.md:20:44 error gist aks-jx-serverless.sh has no URL yet');
    const check = npx(['gists', '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('manuscript/03-canary.sh: 4 commands differ from manuscript/03-canary.md:');
    expect(npx(['gists', '--out', 'gists']).code).toBe(0);
    expect(readdirSync(path.join(book, 'gists')).filter((f) => f.endsWith('.sh'))).toHaveLength(6);
    const exported = npx(['export', 'leanpub', '--draft']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(path.join(book, 'publish/leanpub/Book.txt'), 'utf8').split('\n')[0]).toBe('frontmatter.txt');
    // Leanpub cannot draw mermaid: the manuscript references the diagram as a PNG drawn in the machine's Chromium.
    expect(readFileSync(path.join(book, 'publish/leanpub/03-canary.md'), 'utf8')).toContain('![Figure 3-2: How the weight moves](images/diagrams/03-canary-figure-2.png)');
    expect(readFileSync(path.join(book, 'publish/leanpub/images/diagrams/03-canary-figure-2.png')).subarray(1, 4).toString()).toBe('PNG');
    const status = npx(['status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('Add to Book.txt');
    const ci = npx(['ci', 'github']);
    expect(ci.code, ci.stderr).toBe(0);
    expect(readFileSync(path.join(book, '.github/workflows/bookrun.yml'), 'utf8')).toContain('manuscript/02-first-app.md');
  });

  it('re-plans an edited chapter from the parser\'s cached code as a fresh parse would, and compiles afresh over a damaged cache', () => {
    const chapter = path.join(book, 'manuscript', '03-canary.md');
    const original = readFileSync(chapter);
    const cacheDir = path.join(userCache(), 'bookrun', 'code');
    const codeFiles = () => readdirSync(cacheDir).filter((f) => f.endsWith('.bin'));
    try {
      // The plans above kept V8's code for the parser's bundle (dist/parser/parse-chapter.cjs), in the user's
      // cache folder (private), never in the book's.
      expect(listing(tarball)).toContain('package/dist/parser/parse-chapter.cjs');
      expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
      expect(readdirSync(path.join(book, '.bookrun', 'cache', 'chapters')).some((f) => f.endsWith('.bin'))).toBe(false);
      expect(codeFiles()).toHaveLength(1);
      const code = path.join(cacheDir, codeFiles()[0]!);
      expect(statSync(code).size).toBeGreaterThan(10_000);
      expect(statSync(code).mode & 0o777).toBe(0o600);
      const kept = readFileSync(code);
      writeFileSync(chapter, `${original.toString('utf8')}\n## One More Step\n\n\`\`\`bash\nkubectl get canaries --namespace canaries\n\`\`\`\n`);
      const edited = npx(['plan', '--variant', 'all']);
      expect(edited.code, edited.stderr).toBe(0);
      expect(edited.stdout).toContain('kubectl get canaries --namespace canaries');
      expect(edited.stdout).toBe(npx(['plan', '--variant', 'all'], { BOOKRUN_CACHE: 'off' }).stdout);
      // V8 took the kept code (a process that compiled the parser would have kept its own).
      expect(readFileSync(code).equals(kept)).toBe(true);
      // Garbage where the code was: V8 refuses it, the parser compiles as on a first run, and the code is kept anew.
      writeFileSync(code, Buffer.alloc(4096, 7));
      writeFileSync(chapter, original);
      const again = npx(['plan', '--variant', 'all']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toBe(npx(['plan', '--variant', 'all'], { BOOKRUN_CACHE: 'off' }).stdout);
      expect(codeFiles()).toHaveLength(1);
      expect(readFileSync(path.join(cacheDir, codeFiles()[0]!)).equals(Buffer.alloc(4096, 7))).toBe(false);
    } finally {
      writeFileSync(chapter, original);
    }
  });

  it('run runs a chapter in real shells (node-pty built for the author) and saves its report', () => {
    const work = path.join(tmp, 'work');
    mkdirSync(work);
    const run = npx(['run', 'manuscript/02-first-app.md', '--variant', 'gke-static', '--cwd', work]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('PASSED 8 passed, 0 failed');
    expect(readFileSync(path.join(work, 'canaries-demo', 'app.sh'), 'utf8')).toContain('hello from');
    expect(readdirSync(path.join(book, '.bookrun/reports/02-first-app/gke-static')).filter((f) => /^\d.*\.json$/.test(f))).toHaveLength(1);
  });

  it('build makes the site of the book in build/, with no Docusaurus file of the author\'s', () => {
    const build = npx(['build']);
    expect(build.code, build.stdout + build.stderr).toBe(0);
    expect(build.stdout).toContain('bookrun build: wrote the site of 8 chapter(s) to build/');
    for (const route of ['setup', 'first-app', 'canary', 'glossary']) expect(existsSync(path.join(book, 'build', route, 'index.html')), route).toBe(true);
    const page = readFileSync(path.join(book, 'build/first-app/index.html'), 'utf8');
    expect(page).toContain('<figcaption>Figure 2-1: The application and its two releases</figcaption>');
    expect(page).toContain('bookrun-block');
    // The mermaid block of 03-canary.md, drawn at build time in the machine's Chromium.
    expect(readFileSync(path.join(book, 'build/canary/index.html'), 'utf8')).toMatch(/<figure class="?bookrun-diagram[^>]*><img[^>]*src="?data:image\/svg\+xml;base64,/);
    for (const name of ['docusaurus.config.js', 'docusaurus.config.ts', 'sidebars.js', 'sidebars.ts', '.docusaurus', 'src']) expect(existsSync(path.join(book, name)), name).toBe(false);
  });

  it('serve serves the built site and the terminal, connect pairs a reader with it, and both stop on SIGTERM', async () => {
    const serve = start(['serve', '--no-open', '--port', '0']);
    const [, port] = await serve.url(/bookrun: http:\/\/127\.0\.0\.1:(\d+)\/#token=/);
    const page = await fetch(`http://127.0.0.1:${port}/canary/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Rolling Out A Canary');
    // A reader of that site: connect fetches the plans the build published and pairs with the page.
    const connect = start(['connect', `http://127.0.0.1:${port}/canary/`, '--no-open']);
    const [pairing] = await connect.url(/bookrun: http:\/\/127\.0\.0\.1:\d+\/canary\/#port=\d+&token=\S+/);
    expect(pairing).toContain('/canary/#port=');
    await stop(connect.child, connect.exited);
    await stop(serve.child, serve.exited);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  }, 120_000);

  it('dev serves the book with author notes and warns about the chapter Book.txt does not list', async () => {
    const port = await freePort();
    const dev = start(['dev', '--no-open', '--port', String(port)]);
    await dev.url(/bookrun: http:\/\/localhost:\d+\/#token=/);
    expect(dev.output()).toContain('[bookrun] manuscript/11-draft.md: not in manuscript/Book.txt, so not in the site');
    const chapter = await fetch(`http://localhost:${port}/setup`);
    expect(chapter.status).toBe(200);
    await stop(dev.child, dev.exited);
    await expect.poll(() => fetch(`http://localhost:${port}/`).then(() => 'up', () => 'down'), { timeout: 20_000 }).toBe('down');
  }, 240_000);

  it('changed not one byte under manuscript/', () => {
    expect(hashes(path.join(book, 'manuscript'))).toEqual(before);
  });
});
