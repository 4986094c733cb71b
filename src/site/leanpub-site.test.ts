/**
 * The site of a book in Leanpub's layout, built where its chapters are (manuscript/, the book's root as the
 * site folder, no Docusaurus file of the author's): routes without the NN- prefix, parts, figures, crosslinks
 * between chapters, images, the chapters Book.txt lists and only those; not a byte of the manuscript changed.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from './build-site.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.resolve(here, '../book/fixtures/leanpub-book');
const config = path.resolve(here, '../cli/commands/fixtures/init/leanpub-book.bookrun.yaml');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-leanpub-site-'));
let out: string;
let log = '';
let before: Record<string, string>;

function hashes(folder: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const e of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) found[path.relative(folder, path.join(e.parentPath, e.name))] = createHash('sha256').update(readFileSync(path.join(e.parentPath, e.name))).digest('hex');
  }
  return found;
}

const page = (route: string) => readFileSync(path.join(out, route, 'index.html'), 'utf8');

beforeAll(async () => {
  copyFixture(fixture, dir);
  // The config `bookrun init` writes for this book (its golden file).
  cpSync(config, path.join(dir, 'bookrun.yaml'));
  before = hashes(path.join(dir, 'manuscript'));
  out = await buildSite({ config: path.join(dir, 'bookrun.yaml'), outDir: path.join(dir, 'build'), mode: 'dev', log: (t) => (log += t) });
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the site of a Leanpub book', () => {
  it('builds into build/ of the book root, a page per chapter of Book.txt at its name without NN-, and no page for the draft', () => {
    expect(out).toBe(path.join(dir, 'build'));
    for (const route of ['preface', 'setup', 'first-app', 'canary', 'metrics', 'serverless', 'what-now', 'glossary']) expect(existsSync(path.join(out, route, 'index.html')), route).toBe(true);
    expect(existsSync(path.join(out, '01-setup'))).toBe(false);
    expect(readdirSync(out).some((f) => /draft|databases/i.test(f))).toBe(false);
    expect(existsSync(path.join(dir, '.docusaurus'))).toBe(false);
  });

  it('warns about the chapter file Book.txt does not list, in the log and on the dev home page', () => {
    expect(log).toContain('[bookrun] manuscript/11-draft.md: not in manuscript/Book.txt, so not in the site: add it to Book.txt to make it a chapter');
    expect(page('.')).toContain('Not in the book (dev only):');
    expect(page('.')).toContain('manuscript/11-draft.md');
  });

  it('shows the parts: in the sidebar as categories, on the page above the title, on the home page', () => {
    const setup = page('setup');
    expect(setup).toMatch(/class="?bookrun-part"?>Part One: The Cluster</);
    expect(setup).toMatch(/menu__list-item-collapsible[^]*Part One: The Cluster/);
    expect(page('.')).toMatch(/<h3>Part Two: Progressive Delivery<\/h3>/);
  });

  it('renders figures with their caption and width, and ships the images', () => {
    const first = page('first-app');
    expect(first).toMatch(/<figure class="?bookrun-figure"? style="?width:60%"?><img[^>]+alt="Figure 2-1: The application and its two releases"/);
    expect(first).toContain('<figcaption>Figure 2-1: The application and its two releases</figcaption>');
    expect(page('metrics')).toMatch(/style="?width:80%"?/);
    // Small images are inlined by the bundler, larger ones copied to assets/images.
    expect(page('canary')).toMatch(/<img[^>]+src="?(?:data:image\/png;base64,iVBOR|\/assets\/images\/canary-flow-[\w-]+\.png)/);
  });

  it('links crosslinks to the chapter that defines the id, keeps asides, {#id} anchors and {lang} lines', () => {
    expect(page('preface')).toContain('href=/setup#cluster-setup');
    expect(page('canary')).toContain('href=/setup#cluster-setup');
    expect(page('first-app')).toContain('href=/canary#canary-rollout');
    const metrics = page('metrics');
    expect(metrics).toContain('A note to minikube users');
    expect(metrics).toContain('href=/canary#canary-rollout');
    expect(metrics).toMatch(/id="?error-rate"?/);
    expect(metrics).not.toContain('{lang=');
    expect(metrics).not.toContain('{#error-rate}');
    expect(page('first-app')).not.toContain('screencast');
  });

  it('leaves every byte of the manuscript as it was', () => {
    expect(hashes(path.join(dir, 'manuscript'))).toEqual(before);
  });
});
