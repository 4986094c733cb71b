import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { MERMAID_CONFIG, PNG_SCALE } from './mermaid-config.ts';
import { spawnChromium } from './spawn-chromium.ts';
import { toStandaloneSvg } from './to-standalone-svg.ts';

/** One diagram drawn by mermaid in the browser: the SVG, and the PNG when asked for. */
export type RenderedDiagram =
  | {
      kind: 'ok';
      svg: string;
      /** The PNG (white background, {@link PNG_SCALE}× for print), or null when not asked for. */
      png: Uint8Array | null;
      /** Size of the drawing in CSS pixels (the PNG is {@link PNG_SCALE} times larger). */
      width: number;
      height: number;
    }
  /** mermaid refused the diagram (`cause: 'mermaid'`), or the browser did not answer in time (`cause: 'timeout'`). */
  | { kind: 'error'; cause: 'mermaid' | 'timeout'; message: string };

/** A browser page with mermaid loaded, rendering one diagram at a time. Close it, pass or fail. */
export interface DiagramRenderer {
  render(code: string, options: { id: string; png: boolean }): Promise<RenderedDiagram>;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
html,body{margin:0;background:#fff}
#out{display:inline-block;padding:16px;background:#fff}
#out>svg{display:block}
</style></head><body><div id="out"></div></body></html>`;

/** How long one diagram may take in the browser (a 2-core machine under load included). */
const RENDER_TIMEOUT_MS = 60_000;

type MermaidGlobal = {
  mermaid: {
    initialize(config: unknown): void;
    render(id: string, code: string): Promise<{ svg: string }>;
  };
};

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function preparePage(browser: Browser): Promise<Page> {
  // A wide page, so a wide diagram is drawn at its own size instead of squeezed to the viewport.
  const page = await browser.newPage({ deviceScaleFactor: PNG_SCALE, viewport: { width: 2400, height: 1600 } });
  // Nothing goes over the network: the page is set from a string and mermaid's bundle is inlined from disk.
  await page.route('**/*', (route) => route.abort());
  await page.setContent(PAGE);
  const bundle = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
  await page.addScriptTag({ path: bundle });
  await page.evaluate((config) => (window as unknown as MermaidGlobal).mermaid.initialize(config), MERMAID_CONFIG as unknown);
  return page;
}

/**
 * Starts headless Chromium with mermaid's own browser bundle (from the npm package: no CDN, no download) in one
 * page, and renders diagrams there one after another: SVG from `mermaid.render`, PNG as a screenshot of the
 * drawing. Throws `ChromiumMissingError` when the machine has no Chromium. The browser is closed when starting
 * fails, and by {@link DiagramRenderer.close}.
 */
export async function spawnDiagramRenderer(): Promise<DiagramRenderer> {
  const browser = await spawnChromium();
  let page: Page;
  try {
    page = await preparePage(browser);
  } catch (error) {
    await browser.close();
    throw error;
  }
  return {
    async render(code, { id, png }) {
      const drawn = await withTimeout(
        page.evaluate(
          async ({ code, id }) => {
            try {
              return { ok: true as const, svg: (await (window as unknown as MermaidGlobal).mermaid.render(id, code)).svg };
            } catch (error) {
              // A failed render leaves its scratch nodes in <body>: the next diagram must not find them.
              document.getElementById(`d${id}`)?.remove();
              document.getElementById(id)?.remove();
              return { ok: false as const, message: String((error as Error)?.message ?? error) };
            }
          },
          { code, id },
        ),
        RENDER_TIMEOUT_MS,
      );
      if (drawn === 'timeout') return { kind: 'error', cause: 'timeout', message: `the browser did not draw the diagram within ${RENDER_TIMEOUT_MS / 1000} s` };
      if (!drawn.ok) return { kind: 'error', cause: 'mermaid', message: drawn.message.split('\n')[0]!.trim() };
      const box = await page.evaluate((svg) => {
        const out = document.getElementById('out')!;
        out.innerHTML = svg;
        const rect = out.querySelector('svg')!.getBoundingClientRect();
        return { width: rect.width, height: rect.height };
      }, drawn.svg);
      const image = png ? await page.locator('#out').screenshot({ type: 'png', timeout: RENDER_TIMEOUT_MS }) : null;
      await page.evaluate(() => document.getElementById('out')!.replaceChildren());
      return { kind: 'ok', svg: toStandaloneSvg(drawn.svg), png: image ? new Uint8Array(image) : null, width: Math.round(box.width), height: Math.round(box.height) };
    },
    close: () => browser.close(),
  };
}
