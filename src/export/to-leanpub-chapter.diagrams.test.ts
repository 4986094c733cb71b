import { describe, expect, it } from 'vitest';
import { parseForTest } from '../testing/parse-for-test.ts';
import { toManuscript } from './to-manuscript.ts';
import { testConfig } from '../testing/parse-for-test.ts';

const chapter = [
  '# Visualizing The Rollout', // 1
  '',
  'The analysis, step by step.',
  '',
  '{caption: "The canary [analysis]", #fig-analysis, width: 80%}', // 5
  '```mermaid',
  'flowchart LR',
  '  A --> B',
  '```',
  '',
  'Flagger talks to Istio.',
  '',
  '{lang="mermaid"}', // 13
  '```',
  'sequenceDiagram',
  '  F->>I: shift',
  '```',
  '',
  '*Figure 1-2: Flagger and Istio*', // 19
  '',
  '```bash',
  'kubectl get canaries',
  '```',
  '',
  '```mermaid',
  'pie',
  '  "a" : 1',
  '```',
];

async function manuscript(format: 'lfm' | 'markua') {
  const parsed = await parseForTest(chapter);
  return toManuscript([{ chapter: parsed, key: 'manuscript/01-rollout.md', matter: 'main' }], { ...testConfig, leanpub: { ...testConfig.leanpub, sample: [] } }, { format });
}

describe('the manuscript draws diagrams as images', () => {
  it('LFM: each mermaid fence becomes its image with the caption; caption lines go, ids stay, other fences stay', async () => {
    const m = await manuscript('lfm');
    expect(m.files.find((f) => f.path === '01-rollout.md')!.content).toBe(
      [
        '# Visualizing The Rollout',
        '',
        'The analysis, step by step.',
        '',
        '{id="fig-analysis",width="80%"}',
        '![Figure 1-1: The canary \\[analysis\\]](images/diagrams/01-rollout-figure-1.png)',
        '',
        'Flagger talks to Istio.',
        '',
        '![Figure 1-2: Flagger and Istio](images/diagrams/01-rollout-figure-2.png)',
        '',
        '```bash',
        'kubectl get canaries',
        '```',
        '',
        '![Figure 1-3](images/diagrams/01-rollout-figure-3.png)',
        '',
      ].join('\n'),
    );
    expect(m.diagrams.map((d) => [d.to, d.line, d.code.split('\n')[0]])).toEqual([
      ['images/diagrams/01-rollout-figure-1.png', 6, 'flowchart LR'],
      ['images/diagrams/01-rollout-figure-2.png', 14, 'sequenceDiagram'],
      ['images/diagrams/01-rollout-figure-3.png', 25, 'pie'],
    ]);
  });

  it('Markua: the images live under resources/, the id moves into a Markua attribute list', async () => {
    const m = await manuscript('markua');
    const content = m.files.find((f) => f.path === '01-rollout.md')!.content;
    expect(content).toContain('{id: fig-analysis, width: 80%}\n![Figure 1-1: The canary \\[analysis\\]](images/diagrams/01-rollout-figure-1.png)');
    expect(m.diagrams.map((d) => d.to)).toEqual(['resources/images/diagrams/01-rollout-figure-1.png', 'resources/images/diagrams/01-rollout-figure-2.png', 'resources/images/diagrams/01-rollout-figure-3.png']);
  });
});
