import { describe, expect, it } from 'vitest';
import { phaseInput } from '../testing/parse-for-test.ts';

const fence = '```';

describe('parseBlocks: every code block, its language and what it is', () => {
  it('takes the language from the info string or an LFM {lang=…} / Markua {format: …} line above the fence', () => {
    const { blocks } = phaseInput(['{lang="bash",linenos=off}', fence, 'ls', fence, '', '{format: yaml}', fence, 'a: 1', fence, '', `${fence}sh`, 'pwd', fence]);
    expect(blocks.map((b) => [b.lang, b.shell, b.attributes?.line ?? null])).toEqual([['bash', true, 1], ['yaml', false, 6], ['sh', true, null]]);
  });

  it('treats bash typos as bash, with a warning, and reports a fence left open', () => {
    const { blocks, ctx } = phaseInput([`${fence}basdh`, 'ls', fence, '', `${fence}bash`, 'ls']);
    expect(blocks.map((b) => [b.shell, b.open])).toEqual([[true, false], [true, true]]);
    expect(ctx.diagnostics.map((d) => `${d.line}:${d.rule}`)).toEqual(['1:shell-lang-typo', '5:fence-open']);
  });

  it('reads a text or bare fence whose first line is a $ prompt as a transcript, and only then', () => {
    const { blocks } = phaseInput([
      '{lang="text"}', fence, '$ kubectl get ns', 'default  Active', fence, '',
      fence, '$', fence, '',
      fence, 'NAME   STATUS', '$ not a prompt line first', fence, '',
      `${fence}yaml`, '$ x', fence, '',
      '    $ ls', '    a.txt',
    ]);
    expect(blocks.map((b) => [b.line, b.shell, b.transcript])).toEqual([[2, true, true], [7, true, true], [11, false, false], [16, false, false], [20, true, true]]);
  });

  it('marks a bash block with $ prompts a transcript, and one without a plain shell block', () => {
    const { blocks } = phaseInput([`${fence}bash`, '$ ls', 'a.txt', fence, '', `${fence}bash`, 'ls', fence]);
    expect(blocks.map((b) => b.transcript)).toEqual([true, false]);
  });

  it('follows other tools: txm input is commands whatever its tag, Innovation Engine output and non-shell txm are not', () => {
    const { blocks } = phaseInput([
      '<!-- !test program bash -->', '', '<!-- !test in t -->', fence, 'echo hi', fence, '',
      '<!-- expected_similarity=0.5 -->', `${fence}bash`, 'hi', fence, '',
      '<!-- !test program node -->', '<!-- !test in u -->', `${fence}sh`, 'console.log(1)', fence,
    ]);
    expect(blocks.map((b) => [b.shell, b.tool?.tool, b.tool?.role])).toEqual([[true, 'txm', 'commands'], [false, 'innovation-engine', 'output'], [false, 'txm', 'content']]);
  });
});
