/**
 * `bookrun init` in a book of the author's own: bookrun.yaml from manuscript/Book.txt (or the chapter files
 * found), the matrix from the chapters' conditions, the setup gists from their links; never over an existing
 * bookrun.yaml, never a byte of the manuscript changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readBook } from '../../book/read-book.ts';
import { listVariants } from '../../core/book-config.ts';
import { expectGolden } from '../../testing/expect-golden.ts';
import { runBookrun } from '../../testing/run-bookrun.ts';
import { copyFixture } from '../../testing/copy-fixture.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.resolve(here, '../../book/fixtures/leanpub-book');
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-init-'));
  made.push(dir);
  copyFixture(fixture, dir);
  return dir;
}

/** sha256 of every file under `folder`, by relative path. */
function hashes(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.relative(folder, path.join(e.parentPath, e.name))] = createHash('sha256').update(readFileSync(path.join(e.parentPath, e.name))).digest('hex');
  }
  return out;
}

describe('bookrun init', () => {
  it('writes bookrun.yaml from manuscript/Book.txt: one list, the matrix from the conditions, setup gists from the links', async () => {
    const dir = copy();
    const before = hashes(path.join(dir, 'manuscript'));
    const result = await runBookrun(['init'], dir);
    expect(result.code, result.stderr).toBe(0);
    expectGolden(readFileSync(path.join(dir, 'bookrun.yaml'), 'utf8'), path.join(here, 'fixtures', 'init', 'leanpub-book.bookrun.yaml'));
    expect(result.stdout).toContain('chapters: manuscript/Book.txt (8 chapters, in its order)');
    expect(result.stdout).toContain('not in the book (files beside the chapters it does not list): manuscript/11-draft.md');
    expect(result.stdout).toContain('variants: cloud = gke, eks, aks × flavor = static, serverless: 6 variant(s), default gke-static');
    expect(result.stdout).toContain('"already cloned" at manuscript/05-serverless.md:40');
    expect(result.stdout).toContain('setup gists: gke-serverless ← gke-jx-serverless.sh, eks-static ← eks-jx.sh, aks-serverless ← aks-jx-serverless.sh');
    expect(result.stdout).toContain("gists: the chapters' own .sh files in manuscript/");
    expect(readFileSync(path.join(dir, '.bookrun', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(hashes(path.join(dir, 'manuscript'))).toEqual(before);
    // What it wrote is a book config every command reads.
    const book = await readBook({ cwd: dir });
    expect(book.config.chaptersFile).toBe('manuscript/Book.txt');
    expect(book.config.chapters).toHaveLength(8);
    expect(book.config.gistsDir).toBe('manuscript');
    expect(listVariants(book.config).map((v) => v.name)).toEqual(['gke-static', 'gke-serverless', 'eks-static', 'eks-serverless', 'aks-static', 'aks-serverless']);
    expect(book.config.aliases).toEqual({ tekton: 'serverless' });
  });

  it('exits 2 and changes nothing when bookrun.yaml exists', async () => {
    const dir = copy();
    writeFileSync(path.join(dir, 'bookrun.yaml'), '# mine\nchapters: []\n');
    const result = await runBookrun(['init', '--dir', dir], os.tmpdir());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bookrun.yaml exists: bookrun init never replaces it (nothing was changed)');
    expect(readFileSync(path.join(dir, 'bookrun.yaml'), 'utf8')).toBe('# mine\nchapters: []\n');
    expect(existsSync(path.join(dir, '.bookrun'))).toBe(false);
  });

  it('without a Book.txt, lists the Markdown files it finds in order, a single cloud padded with "existing"', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-init-docs-'));
    made.push(dir);
    mkdirSync(path.join(dir, 'docs'));
    writeFileSync(path.join(dir, 'README.md'), '# Kubernetes Canaries\n');
    writeFileSync(path.join(dir, 'docs', '10-later.md'), '# Later\n\n```bash\n# If EKS\neksctl get clusters\n```\n');
    writeFileSync(path.join(dir, 'docs', '2-first.md'), '# First\n\n```bash\nkubectl get nodes\n```\n');
    writeFileSync(path.join(dir, 'docs', 'README.md'), '# The docs folder\n');
    const result = await runBookrun(['init'], dir);
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(path.join(dir, 'bookrun.yaml'), 'utf8');
    expect(text).toContain('title: Kubernetes Canaries\n');
    expect(text).toContain('chapters:\n  - docs/2-first.md\n  - docs/10-later.md\n');
    expect(text).toContain('    cloud: [eks, existing]\n');
    expect(text).toContain('existing: named by no chapter');
    expect(result.stdout).toContain('existing was added to cloud');
  });

  it('exits 2 when it finds no chapters', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-init-empty-'));
    made.push(dir);
    const result = await runBookrun(['init'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no chapters found');
    expect(existsSync(path.join(dir, 'bookrun.yaml'))).toBe(false);
  });
});
