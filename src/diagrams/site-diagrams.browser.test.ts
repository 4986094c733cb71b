/**
 * The book site draws its diagrams at build time: the built page holds each diagram as an image (SVG) with
 * its caption in the server-rendered HTML, the site ships no mermaid JavaScript, the page hydrates without an
 * error, and a rebuild draws nothing. Screenshots (desktop, 390 px, dark) are kept for a person to look at.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../site/build-site.ts';
import { serveStatic } from '../terminal/serve-static.ts';
import { launchChromium } from '../testing/launch-chromium.ts';
import { parseHtml } from '../testing/parse-html.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/book');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-site-diagrams-'));
copyFixture(fixture, dir);
// The site build refuses a missing image (Docusaurus' own check): give it one.
cpSync(path.join(dir, 'docs/images/ch17/traffic-split.png'), path.join(dir, 'docs/images/ch17/grafana-canary.png'));
const build = path.join(dir, 'build');
const shots = process.env.BOOKRUN_SCREENSHOTS ?? path.join(dir, 'screenshots');

let browser: Browser;
let server: http.Server;
let origin: string;
beforeAll(async () => {
  await buildSite({ config: path.join(dir, 'bookrun.yaml'), outDir: build });
  server = http.createServer((req, res) => void serveStatic(req, res, build));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const drawings = () => readdirSync(path.join(dir, '.bookrun/diagrams')).filter((f) => f.endsWith('.svg'));

describe('diagrams on the site', () => {
  it('puts each diagram in the server-rendered page as an SVG image with its caption, and no mermaid code in the bundle', () => {
    const html = readFileSync(path.join(build, 'visualizing-the-rollout/index.html'), 'utf8');
    const page = parseHtml(html);
    const figures = page.elements.filter((e) => e.tag === 'figure' && /\bbookrun-diagram\b/.test(e.attrs.class ?? ''));
    expect(figures.map((f) => f.text)).toEqual(['Figure 17-2: The canary analysis, step by step', 'Figure 17-3: What Flagger asks Prometheus and Istio on every step']);
    for (const figure of figures) {
      const img = page.elements.find((e) => e.tag === 'img' && e.attrs.alt === figure.text);
      expect(img?.attrs.src).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(img!.attrs.src!.split(',')[1]!, 'base64').toString('utf8')).toMatch(/^<svg width="\d+" height="\d+" [^>]*viewBox=/);
    }
    // The caption line under the second diagram is its caption now, not a paragraph too.
    expect(page.elements.filter((e) => e.tag === 'p' && e.text.startsWith('Figure 17-3'))).toEqual([]);
    const js = readdirSync(path.join(build, 'assets/js'));
    const total = js.reduce((n, f) => n + statSync(path.join(build, 'assets/js', f)).size, 0);
    expect(js.some((f) => readFileSync(path.join(build, 'assets/js', f), 'utf8').includes('mermaidAPI'))).toBe(false);
    expect(total).toBeLessThan(3_000_000);
  });

  it('shows the drawings in a real browser, hydrated without an error, scaled to a phone (screenshots looked at)', async () => {
    mkdirSync(shots, { recursive: true });
    for (const [width, name] of [[1280, 'desktop'], [390, 'phone']] as const) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${origin}/visualizing-the-rollout`);
      await page.waitForLoadState('networkidle');
      // The images load lazily (Docusaurus's img): bring each into view and let it load before measuring.
      for (const figure of await page.locator('figure.bookrun-diagram img').all()) {
        await figure.scrollIntoViewIfNeeded();
        await figure.evaluate((img: HTMLImageElement) => (img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve, { once: true }))));
      }
      await page.locator('figure.bookrun-diagram').first().scrollIntoViewIfNeeded();
      const images = await page.evaluate(() =>
        [...document.querySelectorAll('figure.bookrun-diagram img')].map((i) => {
          const img = i as HTMLImageElement;
          return { natural: img.naturalWidth, shown: Math.round(img.getBoundingClientRect().width) };
        }),
      );
      expect(images).toHaveLength(2);
      for (const image of images) {
        expect(image.natural).toBeGreaterThan(300);
        expect(image.shown).toBeGreaterThan(200);
        expect(image.shown).toBeLessThanOrEqual(width);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
      await page.screenshot({ path: path.join(shots, `site-diagram-${name}.png`) });
      await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
      await page.screenshot({ path: path.join(shots, `site-diagram-${name}-dark.png`) });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('draws nothing on a rebuild of the unchanged book', async () => {
    const before = drawings().map((f) => [f, statSync(path.join(dir, '.bookrun/diagrams', f)).mtimeMs]);
    expect(before).toHaveLength(2);
    await buildSite({ config: path.join(dir, 'bookrun.yaml'), outDir: build });
    expect(drawings().map((f) => [f, statSync(path.join(dir, '.bookrun/diagrams', f)).mtimeMs])).toEqual(before);
  }, 240_000);
});
