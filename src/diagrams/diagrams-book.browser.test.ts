/**
 * The fixture chapter, through the real CLI: two mermaid diagrams (one captioned with `{caption: …}`,
 * one with the genre's `Figure 17-3: …` line), an image that is missing and a `Figure 17-TODO`. The export
 * draws the diagrams in Chromium and the manuscript references them; lint names the missing image and the
 * draft figure with their lines; a second export draws nothing.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBook, readChapter } from '../book/read-book.ts';
import { decodePng, drawnShare } from '../testing/decode-png.ts';
import { useChromium } from '../testing/launch-chromium.ts';
import { runBookrun } from '../testing/run-bookrun.ts';
import { toDiagramKey } from './to-diagram-key.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/book');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-diagrams-book-'));
copyFixture(fixture, dir);
const CHAPTER = 'docs/17-visualizing-the-rollout.md';
const out = path.join(dir, 'publish/leanpub');

const chrome = useChromium(dir);

describe('a chapter with diagrams, captions, a missing image and a draft figure', () => {
  it('exports with --draft: the diagrams drawn as PNGs in a real browser, referenced with their captions', async () => {
    const run = await runBookrun(['export', 'leanpub', '--draft'], dir);
    expect(run.stderr).toContain(`${CHAPTER}:78 image docs/images/ch17/grafana-canary.png does not exist: add it or fix the path [image-missing]`);
    expect(run.stderr).toContain(`${CHAPTER}:82 draft figure: Figure 17-TODO: TODO [figure-todo]`);
    expect(run.stdout).toContain('2 images, 2 diagrams (2 drawn)');
    expect(run.code).toBe(0);

    const manuscript = readFileSync(path.join(out, '17-visualizing-the-rollout.md'), 'utf8');
    expect(manuscript).toContain('Flagger increases the canary\'s weight only when the analysis of the metrics passes.\n\n![Figure 17-2: The canary analysis, step by step](images/diagrams/17-visualizing-the-rollout-figure-2.png)\n\nThe output');
    expect(manuscript).toContain('nothing else.\n\n![Figure 17-3: What Flagger asks Prometheus and Istio on every step](images/diagrams/17-visualizing-the-rollout-figure-3.png)\n\n## Seeing It In Grafana');
    expect(manuscript).not.toMatch(/mermaid|\{caption|^Figure 17-3/m);
    // Every other fence, byte for byte.
    const book = await readBook({ cwd: dir });
    const chapter = await readChapter(book, path.join(dir, CHAPTER), CHAPTER);
    const diagrams = new Set(chapter.figures.flatMap((f) => (f.block === null ? [] : [f.block])));
    const others = chapter.blocks.filter((b) => !diagrams.has(b.index));
    expect(others).toHaveLength(3);
    for (const block of others) expect(manuscript).toContain(chapter.lines.slice(block.line - 1, block.endLine).join('\n'));

    const drawn = readdirSync(path.join(out, 'images/diagrams')).sort();
    expect(drawn).toEqual(['17-visualizing-the-rollout-figure-2.png', '17-visualizing-the-rollout-figure-3.png']);
    for (const name of drawn) {
      const png = decodePng(readFileSync(path.join(out, 'images/diagrams', name)));
      expect(png.width).toBeGreaterThan(400);
      expect(png.height).toBeGreaterThan(150);
      expect(drawnShare(png)).toBeGreaterThan(0.02);
    }
    // The SVG drawn with each PNG is a real SVG document holding the diagram's labels.
    const labels: Record<number, string[]> = { 2: ['New release', 'Promote the canary', 'Roll back', 'no, 5 times'], 3: ['Flagger', 'Prometheus', 'route 10% more to the canary', 'every minute'] };
    const page = await chrome.browser.newPage();
    for (const figure of chapter.figures.filter((f) => f.kind === 'diagram')) {
      const svg = readFileSync(path.join(dir, '.bookrun/diagrams', `${toDiagramKey(chapter.blocks[figure.block!]!.value)}.svg`), 'utf8');
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return { error: doc.getElementsByTagName('parsererror').length, root: doc.documentElement.localName, texts: [...doc.getElementsByTagName('text')].map((t) => t.textContent!.replace(/\s+/g, ' ').trim()) };
      }, svg);
      expect(parsed).toMatchObject({ error: 0, root: 'svg' });
      for (const label of labels[figure.index]!) expect(parsed.texts.join(' | ')).toContain(label);
    }
    await page.close();
  });

  it('a second export of the unchanged book draws no diagram (from the cache) and writes the same PNGs', async () => {
    const png = readFileSync(path.join(out, 'images/diagrams/17-visualizing-the-rollout-figure-2.png'));
    const run = await runBookrun(['export', 'leanpub', '--draft'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 diagrams (from the cache)');
    expect(readFileSync(path.join(out, 'images/diagrams/17-visualizing-the-rollout-figure-2.png')).equals(png)).toBe(true);
  });

  it('lint names the missing image and the draft figure with their lines', async () => {
    const run = await runBookrun(['lint', CHAPTER, '--no-shell'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${CHAPTER}:78:1 error image images/ch17/grafana-canary.png does not exist: add it (under images/ beside the chapter) or fix the path [image-missing]`);
    expect(run.stdout).toContain(`${CHAPTER}:82:1 warning Figure 17-TODO is a draft figure (image, caption "TODO"): finish it and caption it as Figure 17-5: … before publishing [figure-todo]`);
    expect(run.stdout).not.toContain('diagram-syntax');
  });
});

describe('bookrun status: "Diagrams" and "Publish on <blog>" from evidence', () => {
  type Item = { text: string; state: string; derived: boolean; evidence: string; findings?: Array<{ line: number; rule: string }> };
  const items = async (): Promise<Item[]> => {
    const run = await runBookrun(['status', '--json'], dir);
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as { chapters: Array<{ items: Item[] }> }).chapters[0]!.items;
  };
  const item = async (text: string) => (await items()).find((i) => i.text === text)!;

  it('fails "Diagrams" while a figure is a draft or an image is missing, naming their lines', async () => {
    const diagrams = await item('Diagrams');
    expect(diagrams).toMatchObject({ state: 'failed', derived: true });
    expect(diagrams.findings!.map((f) => [f.line, f.rule])).toEqual([[78, 'image-missing'], [82, 'figure-todo']]);
    expect(await item('Publish on TechnologyConversations.com')).toMatchObject({ state: 'not-run', evidence: `no post exported for TechnologyConversations.com yet (run: bookrun export blog ${CHAPTER})` });
  });

  it('passes "Diagrams" once every figure is done and every diagram drawn; a changed diagram is not drawn until the next export', async () => {
    const file = path.join(dir, CHAPTER);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('![Figure 17-TODO: TODO](images/ch17/rollback.png)', '![Figure 17-5: The weight drops back to zero](images/ch17/rollback.png)'));
    cpSync(path.join(dir, 'docs/images/ch17/traffic-split.png'), path.join(dir, 'docs/images/ch17/grafana-canary.png'));
    expect(await item('Diagrams')).toMatchObject({ state: 'passed', evidence: '5 figures (2 diagrams drawn), no draft figure, no missing image [proven, but not ticked]' });
    writeFileSync(file, readFileSync(file, 'utf8').replace('[Roll back]', '[Roll back to the primary]'));
    expect(await item('Diagrams')).toMatchObject({ state: 'not-run', evidence: expect.stringMatching(/^Figure 17-2 \(line 33\) not drawn yet/) });
    const run = await runBookrun(['export', 'leanpub', '--draft'], dir);
    expect(run.stdout).toContain('2 diagrams (1 drawn, 1 from the cache)');
    expect(await item('Diagrams')).toMatchObject({ state: 'passed' });
  });

  it('passes "Publish on TechnologyConversations.com" when a post was exported from the current text, stale once it changes', async () => {
    const run = await runBookrun(['export', 'blog', CHAPTER], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await item('Publish on TechnologyConversations.com')).toMatchObject({ state: 'passed', evidence: expect.stringMatching(/^the html post in publish\/blog, .* is of the current text \[proven, but not ticked\]$/) });
    const file = path.join(dir, CHAPTER);
    writeFileSync(file, readFileSync(file, 'utf8').replace('We can now see what the canary does.', 'We can now see what the canary does, step by step.'));
    expect(await item('Publish on TechnologyConversations.com')).toMatchObject({ state: 'stale' });
  });
});
