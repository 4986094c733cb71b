import { describe, expect, it } from 'vitest';
import { parseForTest } from '../testing/parse-for-test.ts';

const fence = '```';

describe('parseBlockComments: comment lines applied to the commands', () => {
  it('a ctrl+c comment opening a block is about the last command of the block before', async () => {
    const chapter = await parseForTest(['# T', '', `${fence}bash`, 'ping $DOMAIN', fence, '', `${fence}bash`, '# Cancel with *ctrl+c*', '', 'curl $DOMAIN', fence]);
    expect(chapter.steps.map((s) => [s.command, s.watchReason])).toEqual([['ping $DOMAIN', 'ctrl-c'], ['curl $DOMAIN', null]]);
    expect(chapter.diagnostics).toEqual([]);
  });

  it('a ctrl+c comment after a command that ends by itself marks nothing and says so', async () => {
    const chapter = await parseForTest(['# T', '', `${fence}bash`, 'kill %1', '', '# Press *ctrl+c* to stop it', fence]);
    expect(chapter.steps[0]!.watch).toBe(false);
    expect(chapter.diagnostics.map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['6:dangling-annotation:info']);
  });

  it('a sentence that starts with "If" is a comment, not a condition; an unknown word stays an unknown condition', async () => {
    const chapter = await parseForTest(['# T', '', `${fence}bash`, '# If could be `jx upgrade addon jx-prow`', 'jx upgrade addons', '', '# If already cloned', 'cd go-demo-6', '', '# If you are using EKS', 'eksctl get clusters', '', '# If the output is empty, repeat', 'kubectl get ing', fence]);
    expect(chapter.steps.map((s) => [s.condition?.text ?? null, s.comments])).toEqual([
      [null, ['If could be `jx upgrade addon jx-prow`']],
      ['already cloned', []],
      ['eks', []],
      [null, ['If the output is empty, repeat']],
    ]);
    expect(chapter.diagnostics.map((d) => `${d.line}:${d.rule}`)).toEqual(['7:unknown-condition']);
  });

  it("applies another tool's block annotations to every command, under the block's own # bookrun: lines", async () => {
    const chapter = await parseForTest(['# T', '', '```sh {"name":"serve","background":true,"excludeFromRunAll":true}', 'npm ci', '', '# bookrun: timeout=2m', 'npm start', fence]);
    expect(chapter.steps.map((s) => [s.terminal, s.annotations])).toEqual([
      [2, { name: 'serve', skip: true, skipReason: 'excludeFromRunAll (Runme)' }],
      [2, { name: 'serve', skip: true, skipReason: 'excludeFromRunAll (Runme)', timeoutMs: 120_000 }],
    ]);
  });
});
