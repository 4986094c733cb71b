import { describe, expect, it } from 'vitest';
import { chapterGistName, fillGistLinks, findGistLinks } from './gist-links.ts';

const config = {
  gists: {
    'gke-jx.sh': 'https://gist.github.com/example/9e1',
    'eks-jx.sh': null,
    'canary.sh': 'https://gist.github.com/example/c0ffee',
  },
};

function chapter(lines: string[], blocks: Array<{ line: number; endLine: number }> = []) {
  return { file: 'docs/canary.md', lines, blocks: blocks as never };
}

describe('findGistLinks', () => {
  it('finds setup-gist links by their .sh name and resolves them from the manifest', () => {
    const links = findGistLinks(chapter(['* Create a new static **GKE** cluster: [gke-jx.sh](TODO:)', '* EKS: [eks-jx.sh](TODO:)']), config);
    expect(links.map((l) => [l.kind, l.gist, l.resolved, l.placeholder, l.line, l.column])).toEqual([
      ['file', 'gke-jx.sh', 'https://gist.github.com/example/9e1', true, 1, 40],
      ['file', 'eks-jx.sh', null, true, 2, 8],
    ]);
    expect(links[0]!.replacement).toBe('[gke-jx.sh](https://gist.github.com/example/9e1)');
  });

  it('takes the "commands … are available in the … Gist" link for the chapter\'s own gist, spaces in the target and all', () => {
    const [link] = findGistLinks(chapter(['I> All the commands from this chapter are available in the [TODO: Viktor](TODO: Viktor) Gist.']), config);
    expect(link).toMatchObject({ kind: 'chapter', gist: 'canary.sh', resolved: 'https://gist.github.com/example/c0ffee', replacement: '[canary.sh](https://gist.github.com/example/c0ffee)' });
  });

  it('recognises gist URLs, and ignores images, ordinary links and code', () => {
    const links = findGistLinks(
      chapter(['See [the gist](https://gist.github.com/example/9e1) and [docs](https://docs.flagger.app).', '![a.sh](images/a.sh.png)', '```', '[x.sh](TODO:)', '```'], [{ line: 3, endLine: 5 }]),
      config,
    );
    expect(links.map((l) => [l.kind, l.gist, l.placeholder])).toEqual([['url', 'gke-jx.sh', false]]);
  });
});

describe('fillGistLinks and chapterGistName', () => {
  it('replaces resolved links in place and leaves the unresolved ones', () => {
    const text = '[gke-jx.sh](TODO:) or [eks-jx.sh](TODO:)';
    expect(fillGistLinks(text, findGistLinks(chapter([text]), config))).toBe('[gke-jx.sh](https://gist.github.com/example/9e1) or [eks-jx.sh](TODO:)');
  });

  it('names a chapter gist after the chapter file', () => {
    expect(chapterGistName('docs/progressive-delivery.md')).toBe('progressive-delivery.sh');
  });
});
