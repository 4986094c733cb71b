/**
 * `bookrun export blog` through the real CLI on the reference-style chapter: it refuses while author notes
 * remain (exit 1, FILE:LINE, nothing written), `--draft` writes anyway, a clean chapter is written with its
 * diagram drawn in Chromium and its image copied, the export is recorded with the chapter's sha256, and the
 * preview page reads well on a desktop and on a 390 px phone (screenshots kept for a person to look at).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodePng, drawnShare } from '../testing/decode-png.ts';
import { useChromium } from '../testing/launch-chromium.ts';
import { parseHtml } from '../testing/parse-html.ts';
import { runBookrun } from '../testing/run-bookrun.ts';
import type { BlogRecord } from './blog-record.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/blog-book');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-blog-'));
copyFixture(fixture, dir);
const CHAPTER = 'docs/canary-analysis.md';
const out = path.join(dir, 'publish/blog');
/** Where the screenshots stay for a person to look at (BOOKRUN_SCREENSHOTS=DIR keeps them after the run). */
const shots = process.env.BOOKRUN_SCREENSHOTS ?? path.join(dir, 'screenshots');

const chrome = useChromium(dir);

const record = (): BlogRecord => JSON.parse(readFileSync(path.join(dir, '.bookrun/blog/docs-canary-analysis.md.json'), 'utf8')) as BlogRecord;
const sha256 = () => createHash('sha256').update(readFileSync(path.join(dir, CHAPTER))).digest('hex');

describe('bookrun export blog', () => {
  it('refuses while author notes remain: exit 1, each as FILE:LINE, nothing written', async () => {
    const run = await runBookrun(['export', 'blog', CHAPTER, '--variant', 'eks-serverless'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${CHAPTER}:17 author note: TODO: Viktor: Add a paragraph on why we do not use Prometheus directly. [author-note]`);
    expect(run.stderr).toContain(`${CHAPTER}:133 author note: # TODO: Check whether AKS needs a longer interval [author-note]`);
    expect(run.stderr).toContain('export refused: 2 findings keep the chapter from being published as a post; fix them, or pass --draft to export anyway');
    // Unchecked checklist items are the author's: never a reason to refuse.
    expect(run.stderr).not.toContain('checklist');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(dir, '.bookrun/blog'))).toBe(false);
  });

  it('--draft writes anyway, lists what is left and records a draft', async () => {
    const run = await runBookrun(['export', 'blog', CHAPTER, '--draft'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('draft: 2 findings left (listed above)');
    expect(run.stdout).toContain('wrote publish/blog/canary-analysis.html and publish/blog/canary-analysis.preview.html (html, every variant), 2 files in publish/blog/canary-analysis/; 1 diagram (1 drawn)');
    expect(record()).toMatchObject({ chapter: CHAPTER, sha256: sha256(), format: 'html', variant: null, draft: true, findings: 2, out: 'publish/blog' });
  });

  it('writes a finished chapter without --draft: fragment, preview, the image and the drawn diagram beside it', async () => {
    const file = path.join(dir, CHAPTER);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^TODO: Viktor.*\n\n/m, '').replace(/^# TODO: Check.*\n# kubectl.*\n/m, ''));
    const run = await runBookrun(['export', 'blog', CHAPTER, '--variant', 'eks-serverless'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('(html, variant eks-serverless), 2 files in publish/blog/canary-analysis/; 1 diagram (from the cache)');
    expect(run.stdout).toContain('title: Canary Analysis With Flagger And Istio');
    expect(readdirSync(path.join(out, 'canary-analysis')).sort()).toEqual(['canary-analysis-figure-1.png', 'canary-weights.png']);
    expect(readFileSync(path.join(out, 'canary-analysis/canary-weights.png')).equals(readFileSync(path.join(dir, 'docs/images/canary-weights.png')))).toBe(true);
    const diagram = decodePng(readFileSync(path.join(out, 'canary-analysis/canary-analysis-figure-1.png')));
    expect(diagram.width).toBeGreaterThan(400);
    expect(drawnShare(diagram)).toBeGreaterThan(0.02);
    const fragment = parseHtml(readFileSync(path.join(out, 'canary-analysis.html'), 'utf8'), { fragment: true });
    expect(fragment.errors).toEqual([]);
    const code = fragment.elements.filter((e) => e.tag === 'pre').map((e) => e.text).join('\n');
    expect(code).toContain('ISTIO_HOST=$(kubectl');
    expect(code).toContain('jx create webhook');
    expect(code).not.toContain("jsonpath='{.status.loadBalancer.ingress[0].ip}'");
    expect(code).not.toContain('jx get activities');
    expect(record()).toMatchObject({ sha256: sha256(), variant: 'eks-serverless', draft: false, findings: 0 });
    // The record is bookrun's: listed in its folder's manifest, beside the session state.
    expect(JSON.parse(readFileSync(path.join(dir, '.bookrun/blog/.bookrun-manifest.json'), 'utf8')).files).toEqual(['docs-canary-analysis.md.json']);
  });

  it('--format wordpress writes block markup with the images at --image-base', async () => {
    const run = await runBookrun(['export', 'blog', CHAPTER, '--format', 'wordpress', '--variant', 'gke-static', '--image-base', 'https://technologyconversations.com/wp-content/uploads/2026/12/'], dir);
    expect(run.code).toBe(0);
    const markup = readFileSync(path.join(out, 'canary-analysis.wordpress.html'), 'utf8');
    expect(markup.startsWith('<!-- wp:paragraph -->\n<p>A canary that nobody watches')).toBe(true);
    const images = parseHtml(markup, { fragment: true }).elements.filter((e) => e.tag === 'img').map((e) => e.attrs.src);
    expect(images).toEqual(['https://technologyconversations.com/wp-content/uploads/2026/12/canary-analysis-figure-1.png', 'https://technologyconversations.com/wp-content/uploads/2026/12/canary-weights.png']);
    expect(record()).toMatchObject({ format: 'wordpress', variant: 'gke-static' });
  });

  it('exits 2 on bad input, naming what to pass', async () => {
    const format = await runBookrun(['export', 'blog', CHAPTER, '--format', 'pdf'], dir);
    expect([format.code, format.stderr]).toEqual([2, expect.stringContaining('--format must be html or wordpress, got "pdf"')]);
    const variant = await runBookrun(['export', 'blog', CHAPTER, '--variant', 'openshift-static'], dir);
    expect([variant.code, variant.stderr]).toEqual([2, expect.stringContaining('known variants: gke-static, gke-serverless, eks-static')]);
    const missing = await runBookrun(['export', 'blog', 'docs/nope.md'], dir);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('docs/nope.md')]);
    const two = await runBookrun(['export', 'blog', CHAPTER, CHAPTER], dir);
    expect([two.code, two.stderr]).toEqual([2, expect.stringContaining('expected one chapter file (got 2): a post is one chapter')]);
    const base = await runBookrun(['export', 'blog', CHAPTER, '--image-base', 'uploads/'], dir);
    expect([base.code, base.stderr]).toEqual([2, expect.stringContaining('--image-base must be an http(s) URL')]);
    const sources = await runBookrun(['export', 'blog', CHAPTER, '--out', 'docs'], dir);
    expect([sources.code, sources.stderr]).toEqual([2, expect.stringContaining('docs: is a source folder of the book (it holds chapters): bookrun never writes there; pass --out another folder')]);
  });

  it('shows the preview page as a blog would, on a desktop and on a 390 px phone (screenshots looked at)', async () => {
    await runBookrun(['export', 'blog', CHAPTER, '--variant', 'eks-serverless'], dir);
    mkdirSync(shots, { recursive: true });
    for (const [width, name] of [[1280, 'desktop'], [390, 'phone']] as const) {
      const page = await chrome.browser.newPage({ viewport: { width, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${path.join(out, 'canary-analysis.preview.html')}`);
      const view = await page.evaluate(async () => {
        const images = [...document.images];
        await Promise.all(images.map((i) => i.decode().catch(() => undefined)));
        return {
          scrollWidth: document.documentElement.scrollWidth,
          title: document.querySelector('h1')?.textContent,
          images: images.map((i) => ({ src: i.getAttribute('src'), width: i.naturalWidth, shown: i.getBoundingClientRect().width })),
          article: document.querySelector('article')!.getBoundingClientRect().width,
          pre: [...document.querySelectorAll('pre')].map((p) => p.getBoundingClientRect().right),
        };
      });
      await page.screenshot({ path: path.join(shots, `blog-preview-${name}.png`), fullPage: true });
      await page.close();
      // Nothing but the page and its images beside it (no fonts, scripts or styles from the network).
      expect(requests.every((u) => u.startsWith('file://'))).toBe(true);
      expect(view.title).toBe('Canary Analysis With Flagger And Istio');
      // No sideways scrolling of the page: long code lines scroll inside their block.
      expect(view.scrollWidth).toBe(width);
      expect(view.pre.every((right) => right <= width)).toBe(true);
      expect(view.images.map((i) => i.src)).toEqual(['canary-analysis/canary-analysis-figure-1.png', 'canary-analysis/canary-weights.png']);
      for (const image of view.images) {
        expect(image.width).toBeGreaterThan(0);
        expect(image.shown).toBeLessThanOrEqual(view.article);
      }
      if (width === 1280) expect(view.article).toBeLessThan(800);
    }
    const desktop = decodePng(readFileSync(path.join(shots, 'blog-preview-desktop.png')));
    expect(desktop.width).toBe(1280);
  });
});
