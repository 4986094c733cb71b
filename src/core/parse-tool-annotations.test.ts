import { describe, expect, it } from 'vitest';
import { phaseInput } from '../testing/parse-for-test.ts';

const fence = '```';
const tools = (lines: string[]) => phaseInput(lines).blocks.map((b) => b.tool);

describe("parseToolAnnotations: other tools' markup", () => {
  it('reads Runme fence attributes, JSON and key=value', () => {
    const [json, pairs, plain] = tools([
      `${fence}sh {"name":"serve","background":true,"interactive":false,"excludeFromRunAll":true,"cwd":"./app","category":"setup,dev"}`, 'npm start', fence, '',
      `${fence}sh { name=build interactive=false }`, 'npm ci', fence, '',
      `${fence}sh`, 'ls', fence,
    ]);
    expect(json).toEqual({
      tool: 'runme', line: 1, role: 'commands', terminal: 2, test: null, expect: null,
      annotations: { name: 'serve', skip: true, skipReason: 'excludeFromRunAll (Runme)', cwd: './app', labels: ['setup', 'dev'] },
    });
    expect(pairs).toMatchObject({ tool: 'runme', annotations: { name: 'build' }, terminal: null });
    expect(plain).toBeNull();
  });

  it('reads mdrip labels and @skip on the block right after the comment only', () => {
    const [labelled, skipped, later] = tools(['<!-- @tutorial @cluster -->', fence, 'ls', fence, '', '<!-- @skip -->', fence, 'open x', fence, '', 'Prose.', '', fence, 'pwd', fence]);
    expect(labelled?.annotations).toEqual({ labels: ['tutorial', 'cluster'] });
    expect(skipped?.annotations).toEqual({ skip: true, skipReason: '@skip (mdrip)' });
    expect(later).toBeNull();
  });

  it('reads Innovation Engine similarities and patterns, across the prose before the block', () => {
    const [score, pattern] = tools(['<!-- expected_similarity=0.8 -->', '', 'Results:', '', fence, 'x', fence, '', '<!--expected_similarity="^ok$"-->', fence, 'ok', fence]);
    expect(score).toMatchObject({ tool: 'innovation-engine', role: 'output', expect: { similarity: 0.8 } });
    expect(pattern).toMatchObject({ role: 'output', expect: { pattern: '^ok$' } });
  });

  it('reads txm: the program decides whether blocks are commands; exit goes to the next test; only and nonzero are info', () => {
    const { blocks, ctx } = phaseInput([
      '<!-- !test program bash -e -->', '<!-- !test exit 3 -->', '<!-- !test check fails -->', fence, 'false', fence, '',
      '<!-- !test out fails -->', fence, 'x', fence, '',
      '<!-- !test exit nonzero -->', '<!-- !test only -->', '<!-- !test program python3 -->', '<!-- !test in py -->', fence, 'print(1)', fence,
    ]);
    expect(blocks.map((b) => [b.tool?.role, b.tool?.test, b.tool?.annotations.exitCode])).toEqual([['commands', 'fails', 3], ['output', 'fails', undefined], ['content', 'py', undefined]]);
    expect(ctx.diagnostics.map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['13:tool-annotation:info', '14:tool-annotation:info', '16:tool-annotation:info']);
  });
});
