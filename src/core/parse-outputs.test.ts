import { describe, expect, it } from 'vitest';
import type { Block } from './model.ts';
import type { RawStep } from './parse-context.ts';
import { attachFileContent, attachOutputFence } from './parse-outputs.ts';
import { toStep } from './to-step.ts';

const lines = ['```bash', 'vim a.yaml', '```', '', '```', 'a: 1', '```'];
const block = (over: Partial<Block>): Block => ({
  index: 0, line: 1, endLine: 3, contentLine: 2, lang: 'bash', attributes: null, shell: true, transcript: false, outputOf: null, fileOf: null, tool: null, open: false, value: 'vim a.yaml', ...over,
});
const item = (command: string): RawStep => {
  const step = toStep(lines, block({}), 2, 2);
  step.command = command;
  return { step, wait: false };
};

describe('the outputs phase: attaching what the roles found', () => {
  it('gives the output block to the last command, with an Innovation Engine similarity, once', () => {
    const items = [item('ls'), item('kubectl get pods')];
    const out = block({ index: 1, line: 5, endLine: 7, shell: false, lang: 'json', value: '{}', tool: { tool: 'innovation-engine', line: 4, role: 'output', annotations: {}, terminal: null, test: null, expect: { similarity: 0.4 } } });
    attachOutputFence(items, out);
    expect(items.map((i) => i.step.expect)).toEqual([null, { line: 5, text: '{}', lang: 'json', source: 'fence', similarity: 0.4 }]);
    expect(out.outputOf).toBe('L2');
    attachOutputFence(items, block({ index: 2, line: 9, value: 'other' }));
    expect(items[1]!.step.expect?.line).toBe(5);
  });

  it('gives the content block to the editor command as the file it writes', () => {
    const items = [item('vim a.yaml')];
    const content = block({ index: 1, line: 5, endLine: 7, shell: false, lang: null, value: 'a: 1' });
    attachFileContent(items, content);
    expect(items[0]!.step.edit).toEqual({ file: 'a.yaml', editor: 'vim', line: 5, text: 'a: 1' });
    expect(content.fileOf).toBe('L2');
    const other = [item('kubectl apply -f a.yaml')];
    attachFileContent(other, block({ index: 2 }));
    expect(other[0]!.step.edit).toBeUndefined();
  });
});
