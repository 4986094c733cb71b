import { describe, expect, it } from 'vitest';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { parseBookConfig } from './book-config.ts';
import { chapterGistName, fillGistLinks, findGistLinks } from './gist-links.ts';
import { parseChapter } from './parse-chapter.ts';

const config = {
  ...parseBookConfig({ chapters: [], variants: { dimensions: { cloud: ['gke', 'eks'] } } }, 'bookrun.yaml'),
  gists: {
    'gke-jx.sh': 'https://gist.github.com/example/9e1',
    'eks-jx.sh': null,
    'canary.sh': 'https://gist.github.com/example/c0ffee',
    '16-serverless-apps.sh': null,
  },
};

const chapter = (lines: string[]) => parseChapter(lines.join('\n'), { file: 'docs/canary.md', config, shell: shSyntaxParser });

describe('findGistLinks', () => {
  it('finds setup-gist links by their .sh name and resolves them from the manifest', async () => {
    const links = findGistLinks(await chapter(['* Create a new static **GKE** cluster: [gke-jx.sh](TODO:)', '* EKS: [eks-jx.sh](TODO:)']), config);
    expect(links.map((l) => [l.kind, l.gist, l.resolved, l.placeholder, l.line, l.column])).toEqual([
      ['file', 'gke-jx.sh', 'https://gist.github.com/example/9e1', true, 1, 40],
      ['file', 'eks-jx.sh', null, true, 2, 8],
    ]);
    expect(links[0]!.replacement).toBe('[gke-jx.sh](https://gist.github.com/example/9e1)');
  });

  it('takes the "commands … are available in the … Gist" link for the chapter\'s own gist, spaces in the target and all', async () => {
    const [link] = findGistLinks(await chapter(['I> All the commands from this chapter are available in the [TODO: Viktor](TODO: Viktor) Gist.']), config);
    expect(link).toMatchObject({ kind: 'chapter', gist: 'canary.sh', resolved: 'https://gist.github.com/example/c0ffee', replacement: '[canary.sh](https://gist.github.com/example/c0ffee)' });
  });

  it('recognises gist URLs, and ignores images, ordinary links, code spans and code blocks', async () => {
    const links = findGistLinks(
      await chapter(['See [the gist](https://gist.github.com/example/9e1) and [docs](https://docs.flagger.app), not `[y.sh](TODO:)`.', '', '![a.sh](images/a.sh.png)', '', '```', '[x.sh](TODO:)', '```']),
      config,
    );
    expect(links.map((l) => [l.kind, l.gist, l.placeholder])).toEqual([['url', 'gke-jx.sh', false]]);
  });

  it('takes a gist link that already has its URL for published, even when the manifest has none yet', async () => {
    const [link] = findGistLinks(await chapter(['All the commands are in [16-serverless-apps.sh](https://gist.github.com/vfarcic/7c1d4a1c6a3b5e2f).']), config);
    expect(link).toMatchObject({ kind: 'file', gist: '16-serverless-apps.sh', resolved: 'https://gist.github.com/vfarcic/7c1d4a1c6a3b5e2f', placeholder: false });
  });

  it('does not take a link to a file of the book (./readme.sh, scripts/setup.sh) for a gist', async () => {
    const links = findGistLinks(await chapter(['Run [readme.sh](./readme.sh), [setup](scripts/setup.sh) or [x.sh](x.sh); the gist is [gke-jx.sh](TODO: Viktor).']), config);
    expect(links.map((l) => l.gist)).toEqual(['gke-jx.sh']);
  });
});

describe('fillGistLinks and chapterGistName', () => {
  it('replaces resolved links in place and leaves the unresolved ones', async () => {
    const text = '[gke-jx.sh](TODO:) or [eks-jx.sh](TODO:)';
    expect(fillGistLinks(text, findGistLinks(await chapter([text]), config))).toBe('[gke-jx.sh](https://gist.github.com/example/9e1) or [eks-jx.sh](TODO:)');
  });

  it('names a chapter gist after the chapter file', () => {
    expect(chapterGistName('docs/progressive-delivery.md')).toBe('progressive-delivery.sh');
  });
});
