/**
 * Diagrams are drawn by mermaid in the machine's Chromium, and never twice: the cache under .bookrun/diagrams/
 * answers for a diagram drawn before, and the browser starts only when something is missing (and is closed).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createWriteGuard } from '../book/create-write-guard.ts';
import { readBook } from '../book/read-book.ts';
import { decodePng, drawnShare } from '../testing/decode-png.ts';
import { useChromium } from '../testing/launch-chromium.ts';
import { openDiagramCache } from './open-diagram-cache.ts';
import { renderDiagrams } from './render-diagrams.ts';
import { spawnDiagramRenderer, type DiagramRenderer } from './spawn-diagram-renderer.ts';
import { toDiagramKey } from './to-diagram-key.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/book');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-render-'));
copyFixture(fixture, dir);

const FLOW = 'flowchart LR\n  canary[Canary 10%] --> check{Metrics OK?}\n  check -->|yes| promote[Promote]\n  check -->|no| rollback[Roll back]';
const SEQUENCE = 'sequenceDiagram\n  participant F as Flagger\n  participant I as Istio\n  F->>I: route 10% to the canary\n  I-->>F: done';
const BROKEN = 'flowchart LR\n  A --> --> B';

const chrome = useChromium(dir);

/** The browser's own XML parser on an SVG: what a viewer would make of it. */
async function parseSvg(svg: string) {
  const page = await chrome.browser.newPage();
  try {
    return await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: doc.getElementsByTagName('parsererror').length > 0,
        root: root.localName,
        namespace: root.namespaceURI,
        viewBox: root.getAttribute('viewBox'),
        texts: [...doc.getElementsByTagName('text')].map((t) => t.textContent?.replace(/\s+/g, ' ').trim()).filter(Boolean),
        foreignObjects: doc.getElementsByTagName('foreignObject').length,
      };
    }, svg);
  } finally {
    await page.close();
  }
}

/** The SVG on its own, as an `<img>` shows it (no page styles to help): its natural size. */
async function imageSize(svg: string) {
  const page = await chrome.browser.newPage();
  try {
    await page.setContent(`<img id="i" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`);
    return await page.evaluate(async () => {
      const img = document.getElementById('i') as HTMLImageElement;
      await img.decode();
      return { width: img.naturalWidth, height: img.naturalHeight };
    });
  } finally {
    await page.close();
  }
}

describe('renderDiagrams in a real browser, with the cache', () => {
  it('draws each diagram as a real SVG and PNG, starting the browser once and closing it', async () => {
    const book = await readBook({ cwd: dir });
    const cache = await openDiagramCache(book.root, createWriteGuard(book));
    const started: DiagramRenderer[] = [];
    let closed = 0;
    const spawn = async () => {
      const renderer = await spawnDiagramRenderer();
      started.push(renderer);
      return { render: renderer.render, close: async () => { closed++; await renderer.close(); } };
    };
    const { images, stats } = await renderDiagrams([FLOW, SEQUENCE, FLOW], { cache, png: true, spawn });
    expect(stats).toEqual({ diagrams: 2, rendered: 2, cached: 0, failed: 0 });
    expect([started.length, closed]).toEqual([1, 1]);

    const flow = images.get(FLOW)!;
    if (flow.kind !== 'ok') throw new Error(flow.message);
    const svg = await parseSvg(flow.svg);
    expect(svg).toMatchObject({ error: false, root: 'svg', namespace: 'http://www.w3.org/2000/svg', foreignObjects: 0 });
    expect(svg.viewBox).toMatch(/^[\d.-]+ [\d.-]+ [\d.]+ [\d.]+$/);
    expect(svg.texts).toEqual(expect.arrayContaining(['Canary 10%', 'Metrics OK?', 'Promote', 'Roll back', 'yes', 'no']));
    const shown = await imageSize(flow.svg);
    expect(shown.width).toBeGreaterThan(200);
    expect(shown.height).toBeGreaterThan(50);

    const sequence = images.get(SEQUENCE)!;
    if (sequence.kind !== 'ok') throw new Error(sequence.message);
    expect((await parseSvg(sequence.svg)).texts).toEqual(expect.arrayContaining(['Flagger', 'Istio', 'route 10% to the canary']));

    for (const image of [flow, sequence]) {
      const png = decodePng(image.png!);
      // Twice the drawing's CSS size (plus the white margin), and something drawn on it.
      expect(png.width).toBeGreaterThan(400);
      expect(png.height).toBeGreaterThan(100);
      expect(drawnShare(png)).toBeGreaterThan(0.02);
      expect([...png.rgba.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
    }

    const files = readdirSync(cache.dir).sort();
    expect(files).toEqual(expect.arrayContaining([`${toDiagramKey(FLOW)}.svg`, `${toDiagramKey(FLOW)}.png`, `${toDiagramKey(SEQUENCE)}.svg`, '.bookrun-manifest.json']));
    expect(JSON.parse(readFileSync(path.join(cache.dir, '.bookrun-manifest.json'), 'utf8')).files).toHaveLength(4);
  });

  it('never draws an unchanged diagram again: a second run is all cache hits and starts no browser', async () => {
    const book = await readBook({ cwd: dir });
    const cache = await openDiagramCache(book.root, createWriteGuard(book));
    let starts = 0;
    const spawn = async () => {
      starts++;
      return spawnDiagramRenderer();
    };
    const again = await renderDiagrams([SEQUENCE, FLOW], { cache, png: true, spawn });
    expect(again.stats).toEqual({ diagrams: 2, rendered: 0, cached: 2, failed: 0 });
    expect(starts).toBe(0);
    // A changed diagram is drawn; the unchanged one still comes from the cache.
    const changed = await renderDiagrams([FLOW, FLOW.replace('Promote', 'Promote the canary')], { cache, png: false, spawn });
    expect(changed.stats).toEqual({ diagrams: 2, rendered: 1, cached: 1, failed: 0 });
    expect(starts).toBe(1);
  });

  it('keeps what mermaid refuses as an error (cached, so it is not drawn again), and the page keeps drawing after it', async () => {
    const book = await readBook({ cwd: dir });
    const cache = await openDiagramCache(book.root, createWriteGuard(book));
    const first = await renderDiagrams([BROKEN, SEQUENCE.replace('done', 'promoted')], { cache, png: true });
    expect(first.stats).toEqual({ diagrams: 2, rendered: 2, cached: 0, failed: 1 });
    const broken = first.images.get(BROKEN)!;
    expect(broken).toMatchObject({ kind: 'error', message: expect.stringMatching(/Parse error/) });
    expect(first.images.get(SEQUENCE.replace('done', 'promoted'))).toMatchObject({ kind: 'ok' });
    const second = await renderDiagrams([BROKEN], { cache, png: true });
    expect(second.stats).toEqual({ diagrams: 1, rendered: 0, cached: 1, failed: 1 });
  });
});
