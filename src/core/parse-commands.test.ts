import { describe, expect, it } from 'vitest';
import { parseForTest } from '../testing/parse-for-test.ts';

const fence = '```';

describe('parseCommands: shell blocks split by a real shell parser', () => {
  it('sets schematic lines aside with one warning each, and the rest of the block still plans', async () => {
    const chapter = await parseForTest(['# T', '', `${fence}bash`, 'kubectl get pv,pvc', '', 'pv(persistent volume) -> pvc -> pod', '', 'kubectl get pods', fence]);
    expect(chapter.steps.map((s) => s.command)).toEqual(['kubectl get pv,pvc', 'kubectl get pods']);
    expect(chapter.diagnostics.map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['6:prose-in-shell-block:warning']);
  });

  it('sets aside a sentence the shell parser rejects (only after it fails), not a broken command', async () => {
    const sentence = await parseForTest(['# T', '', `${fence}bash`, 'kubectl get pods', '', 'this works the same way (as before)', '', 'kubectl get svc', fence]);
    expect(sentence.steps.map((s) => s.command)).toEqual(['kubectl get pods', 'kubectl get svc']);
    expect(sentence.diagnostics.map((d) => `${d.line}:${d.rule}`)).toEqual(['6:prose-in-shell-block']);
    const broken = await parseForTest(['# T', '', `${fence}bash`, 'echo "this is broken', '', 'kubectl get pods', fence]);
    expect(broken.diagnostics.map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['4:shell-syntax:error']);
  });

  it('gives the first paragraphs of a block to the previous block when they are its output, with advice that fits', async () => {
    const chapter = await parseForTest(['# T', '', `${fence}bash`, 'kubectl get pods', fence, '', `${fence}bash`, 'NAME   READY', 'web    1/1', '', 'kubectl get svc', fence]);
    expect(chapter.steps.map((s) => [s.command, s.expect?.line ?? null])).toEqual([['kubectl get pods', 8], ['kubectl get svc', null]]);
    expect(chapter.diagnostics[0]?.message).toMatch(/starts with the output of the command at line 4 .* give the command at line 11 a block of its own/);
  });
});
