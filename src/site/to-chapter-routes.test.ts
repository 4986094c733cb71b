import { describe, expect, it } from 'vitest';
import { toChapterRoutes } from './to-chapter-routes.ts';

describe('toChapterRoutes', () => {
  it('routes a chapter by its file name without the extension and the NN- order prefix', () => {
    expect([...toChapterRoutes(['manuscript/03-canary-deployments.md', 'docs/local-canary.md', 'manuscript/1_intro.markdown']).values()]).toEqual([
      '/canary-deployments', '/local-canary', '/intro',
    ]);
  });

  it('gives the later of two chapters that would share a route its full file name', () => {
    expect([...toChapterRoutes(['manuscript/01-setup.md', 'manuscript/11-setup.md', 'appendix/11-setup.md', 'manuscript/00.md']).values()]).toEqual([
      '/setup', '/11-setup', '/11-setup-2', '/00',
    ]);
  });
});
