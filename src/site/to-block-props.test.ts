import { describe, expect, it } from 'vitest';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { listVariants, parseBookConfig } from '../core/book-config.ts';
import { parseChapter } from '../core/parse-chapter.ts';
import { planChapter } from '../core/plan-chapter.ts';
import { toGist } from '../export/to-gist.ts';
import { toLeanpubChapter } from '../export/to-leanpub-chapter.ts';
import { toBlockProps } from './to-block-props.ts';

const config = parseBookConfig({ chapters: ['docs/x.md'], variants: { dimensions: { cloud: ['gke', 'eks'] } } }, 'bookrun.yaml');
const fence = '```';
const source = [
  '# Replicas',
  '',
  `${fence}bash`,
  '# NOTE: Increasing the number of replicas to see how the rollout behaves',
  '# TODO: Do we need more replicas?',
  '# cat values.yaml \\',
  "#     | sed -e 's@replicaCount: .@replicaCount: 5@g' \\",
  '#     | tee values.yaml',
  '',
  '# bookrun: timeout=30s',
  'git add .',
  fence,
  '',
].join('\n');

describe('hidden lines: the site hides what the gist and the manuscript hide', () => {
  it('drops the commands parked under a # TODO: from the page (shown as a note in dev), as the exports do', async () => {
    const chapter = await parseChapter(source, { file: 'docs/x.md', config, shell: shSyntaxParser });
    const plans = listVariants(config).map((v) => planChapter(chapter, v, config));
    const page = (dev: boolean) => toBlockProps(chapter, chapter.blocks[0]!, { chapter: 'docs/x.md', plans, showNotes: dev }).segments;
    const shown = page(false).map((s) => s.text).join('\n');
    expect(shown).toBe('git add .');
    const dev = page(true);
    expect(dev.filter((s) => s.kind === 'note').map((s) => s.text).join('\n')).toContain("#     | sed -e 's@replicaCount");
    const gist = toGist(chapter, config);
    const manuscript = toLeanpubChapter(chapter, { format: 'lfm', gistLinks: [] });
    for (const parked of ['# cat values.yaml', 'replicaCount: 5', '# TODO:', 'bookrun:']) {
      expect(shown).not.toContain(parked);
      expect(gist).not.toContain(parked);
      expect(manuscript).not.toContain(parked);
    }
  });
});

describe('a transcript on the site', () => {
  it("keeps each command's output with it, so hiding a step for a variant hides only its own lines", async () => {
    const lines = ['# T', '', '```', '$ kubectl get ns', 'default  Active', '# If EKS', '$ eksctl get clusters', 'demo  eu-west-1', '```'];
    const chapter = await parseChapter(lines.join('\n'), { file: 'docs/x.md', config, shell: shSyntaxParser });
    const plans = listVariants(config).map((v) => planChapter(chapter, v, config));
    const props = toBlockProps(chapter, chapter.blocks[0]!, { chapter: 'docs/x.md', plans, showNotes: false });
    expect(props.segments).toEqual([
      { kind: 'step', step: 'L4', text: '$ kubectl get ns' },
      { kind: 'text', text: 'default  Active' },
      { kind: 'step', step: 'L7', text: '# If EKS\n$ eksctl get clusters' },
      { kind: 'text', text: 'demo  eu-west-1' },
    ]);
    expect(props.steps.map((s) => [s.command, s.variants])).toEqual([['kubectl get ns', null], ['eksctl get clusters', ['eks']]]);
  });
});
