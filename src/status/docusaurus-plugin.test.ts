import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import React from 'react';
// @ts-expect-error the project has no @types/react-dom; renderToStaticMarkup(element): string
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadContext, PluginContentLoadedActions, RouteConfig } from '@docusaurus/types';
import type { BookStatus } from '../core/status-model.ts';
import { BookStatusView } from './book-status-view.tsx';
import bookStatusPlugin from './docusaurus-plugin.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const fixture = path.resolve(import.meta.dirname, 'fixtures/book');
const nodeEnv = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = nodeEnv;
});

function site(): LoadContext {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-status-site-'));
  copyFixture(fixture, dir);
  return { siteDir: dir, baseUrl: '/' } as LoadContext;
}

/** Runs the plugin's lifecycle as Docusaurus does, recording the data files and routes it adds. */
async function lifecycle(context: LoadContext) {
  const plugin = await bookStatusPlugin(context, {});
  const content = (await plugin.loadContent?.()) ?? null;
  const data = new Map<string, string>();
  const routes: RouteConfig[] = [];
  const actions = {
    createData: async (name: string, text: string) => {
      data.set(name, text);
      return `@generated/${name}`;
    },
    addRoute: (route: RouteConfig) => routes.push(route),
  } as unknown as PluginContentLoadedActions;
  await plugin.contentLoaded?.({ content, actions });
  return { plugin, content, data, routes };
}

describe('the Book status page plugin', () => {
  it('adds /book-status with the status of the book in the dev site', async () => {
    process.env.NODE_ENV = 'development';
    const context = site();
    const { plugin, routes, data } = await lifecycle(context);
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject({ path: '/book-status', exact: true, modules: { status: '@generated/book-status.json' } });
    expect(existsSync(routes[0].component)).toBe(true);
    const status = JSON.parse(data.get('book-status.json')!) as BookStatus;
    expect(status.chapters.map((c) => c.file)).toEqual(['docs/hello-canary.md', 'docs/no-list.md']);
    const watched = plugin.getPathsToWatch!();
    expect(watched).toContain(path.join(context.siteDir, 'docs/hello-canary.md'));
    expect(watched).toContain(path.join(context.siteDir, '.bookrun/reports/**/*.json'));
  });

  it('adds nothing to a production build', async () => {
    process.env.NODE_ENV = 'production';
    const { content, routes, data, plugin } = await lifecycle(site());
    expect(content).toBeNull();
    expect(routes).toEqual([]);
    expect(data.size).toBe(0);
    expect(plugin.getPathsToWatch!()).toEqual([]);
  });

  it('renders the chapters × items table and every item\'s evidence', async () => {
    process.env.NODE_ENV = 'development';
    const { data } = await lifecycle(site());
    const status = JSON.parse(data.get('book-status.json')!) as BookStatus;
    const html = renderToStaticMarkup(React.createElement(BookStatusView, { status }));
    expect(html).toContain('<table aria-label="Chapters × items">');
    expect(html).toContain('<th scope="col" title="docs/hello-canary.md">Hello Canary</th>');
    expect(html).toMatch(/<th scope="row" style="text-align:left">Code review static local<\/th><td title="local-static: no report[^"]*"[^>]*>○ not-run<\/td>/);
    expect(html).toContain('1 author note(s) left at line 59');
    expect(readFileSync(path.resolve(import.meta.dirname, 'book-status-page.tsx'), 'utf8')).toContain('BookStatusView');
  });
});
