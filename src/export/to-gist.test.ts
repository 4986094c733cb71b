import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBook } from '../book/read-book.ts';
import { listVariants } from '../core/book-config.ts';
import { planChapter } from '../core/plan-chapter.ts';
import { expectGolden } from '../testing/expect-golden.ts';
import { readChapters } from './read-chapters.ts';
import { toBanner } from './to-banner.ts';
import { toConditionComment } from './to-condition-comment.ts';
import { toGist } from './to-gist.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'fixtures', 'book');
const expected = path.join(here, 'fixtures', 'expected', 'gists');
const book = await readBook({ cwd: root });
const chapters = await readChapters(book, [], root);
const canary = chapters.find((c) => c.key === 'docs/canary.md')!;

function bashAccepts(script: string): string | null {
  const result = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return result.status === 0 ? null : result.stderr;
}

describe('toGist', () => {
  it('writes every chapter in the published gist format (golden)', () => {
    for (const item of chapters) expectGolden(toGist(item.chapter, book.config, { displayPath: item.key }), path.join(expected, item.key.replace(/^docs\//, '').replace(/\.md$/, '.sh')));
  });

  it('writes a flattened gist per variant (golden for eks-serverless)', () => {
    const variant = listVariants(book.config).find((v) => v.name === 'eks-serverless')!;
    const plan = planChapter(canary.chapter, variant, book.config);
    expectGolden(toGist(canary.chapter, book.config, { plan, displayPath: canary.key }), path.join(expected, 'canary.eks-serverless.sh'));
  });

  it('produces scripts bash -n accepts, for the whole chapter and every variant', () => {
    for (const item of chapters) {
      expect(bashAccepts(toGist(item.chapter, book.config))).toBeNull();
      for (const variant of listVariants(book.config)) {
        expect(bashAccepts(toGist(item.chapter, book.config, { plan: planChapter(item.chapter, variant, book.config) }))).toBeNull();
      }
    }
  });

  it('keeps every command in document order, one blank line apart, and leaves out output, notes, ctrl+c and annotations', () => {
    const gist = toGist(canary.chapter, book.config);
    let at = 0;
    for (const step of canary.chapter.steps) {
      const found = gist.indexOf(step.command, at);
      expect(found, `command at line ${step.line}`).toBeGreaterThanOrEqual(at);
      at = found + step.command.length;
    }
    expect(gist).not.toMatch(/Events:|Promotion completed|TODO|NOTE|bookrun:|ctrl\+c|kubectl get pods/);
    expect(gist).not.toMatch(/\n\n\n/);
    expect(gist).toContain('# If NOT EKS\nISTIO_IP=$(kubectl');
    expect(gist).toContain('# Open a second terminal session\n# Go to the second terminal session\nfor i in {1..10}');
    expect(gist).toContain('# Go back to the first terminal session\njx promote app');
  });

  it('flattens: the variant gist has no condition comments and no dead branches', () => {
    const variant = listVariants(book.config).find((v) => v.name === 'gke-static')!;
    const gist = toGist(canary.chapter, book.config, { plan: planChapter(canary.chapter, variant, book.config) });
    expect(gist).not.toMatch(/^# If /m);
    expect(gist).not.toContain('ISTIO_HOST');
    expect(gist).not.toContain('environment-tekton-staging');
    expect(gist).toContain('environment-jx-staging');
    expect(gist).toContain('# - gke-static: gke-jx.sh (https://gist.github.com/example/9e1)');
    expect(gist).not.toContain('eks-jx.sh');
  });

  it('lists the setup gist of every variant in the header, with its URL when published', () => {
    const gist = toGist(canary.chapter, book.config);
    expect(gist).toContain('# - eks-static: eks-jx.sh (not published yet)');
    expect(gist).toContain('# - eks-serverless: eks-jx-serverless.sh (https://gist.github.com/example/e2)');
    expect(gist).toContain('# Source: https://gist.github.com/example/c0ffee');
  });
});

describe('toBanner and toConditionComment', () => {
  it('draws a banner as wide as its title line', () => {
    expect(toBanner('What Now?')).toEqual(['#############', '# What Now? #', '#############']);
  });

  it('writes conditions canonically, keeping the author spelling of tokens', () => {
    const base = { line: 1, unknown: [], text: '' };
    expect(toConditionComment({ ...base, source: '# If not EKS', negate: true, op: 'or', tokens: ['eks'] })).toBe('# If NOT EKS');
    expect(toConditionComment({ ...base, source: '# Only if serverless', negate: false, op: 'or', tokens: ['serverless'] })).toBe('# If serverless');
    expect(toConditionComment({ ...base, source: 'only if you are using **EKS** or **AKS**', negate: false, op: 'or', tokens: ['eks', 'aks'] })).toBe('# If EKS or AKS');
  });
});
