import { describe, expect, it } from 'vitest';
import { planRecord } from './plan-record.ts';
import { toChapterPatch } from './to-chapter-patch.ts';
import { toRecordedChapter } from './to-recorded-chapter.ts';

const lines = ['# Ch', '', '```bash', 'echo hi', '```', '', '```', 'hello', '```', '', '```bash', 'echo more', '```', '', 'End.'];
const chapter = {
  lines,
  blocks: [
    { index: 0, line: 3, endLine: 5, contentLine: 4, lang: 'bash', attributes: null, shell: true, transcript: false, outputOf: null, fileOf: null, tool: null, open: false, value: 'echo hi' },
    { index: 1, line: 7, endLine: 9, contentLine: 8, lang: null, attributes: null, shell: false, transcript: false, outputOf: 'L4', fileOf: null, tool: null, open: false, value: 'hello' },
    { index: 2, line: 11, endLine: 13, contentLine: 12, lang: 'bash', attributes: null, shell: true, transcript: false, outputOf: null, fileOf: null, tool: null, open: false, value: 'echo more' },
  ],
  steps: [
    { id: 'L4', line: 4, block: 0 },
    { id: 'L12', line: 12, block: 2 },
  ],
} as unknown as Parameters<typeof planRecord>[0];
const hi = { step: { id: 'L4', line: 4, block: 0, expect: { line: 7, text: 'hello', lang: null, source: 'fence' as const } }, output: 'hi\n', status: 'failed' as const, matched: false, ended: 'exited' };
const more = { step: { id: 'L12', line: 12, block: 2, expect: null }, output: 'more\n', status: 'passed' as const, matched: null, ended: 'exited' };

describe('planRecord', () => {
  it('rewrites only the body of a fence that did not match, and adds a fence only with addMissing', () => {
    const plan = planRecord(chapter, [hi, more]);
    expect(plan).toEqual({ edits: [{ from: 8, to: 9, lines: ['hi'] }], recorded: [4], notes: [] });
    const text = `${lines.join('\n')}\n`;
    expect(toRecordedChapter(text, plan.edits)).toBe(text.replace('```\nhello\n```', '```\nhi\n```'));
    const all = planRecord(chapter, [hi, more], { addMissing: true });
    expect(toRecordedChapter(text, all.edits)).toBe(text.replace('```\nhello\n```', '```\nhi\n```').replace('echo more\n```\n', 'echo more\n```\n\n```\nmore\n```\n'));
  });

  it('leaves pasted outputs and pattern checks alone, saying why', () => {
    const pasted = { ...hi, step: { ...hi.step, expect: { ...hi.step.expect, source: 'pasted' as const } } };
    expect(planRecord(chapter, [pasted]).notes[0]).toMatch(/^line 4: its expected output \(line 7\) is not a fence of its own/);
    const pattern = { ...hi, step: { ...hi.step, expect: { ...hi.step.expect, pattern: 'h.*' } } };
    expect(planRecord(chapter, [pattern]).edits).toEqual([]);
  });

  it('keeps CRLF line ends and every other byte, and makes a patch with a/ b/ headers', () => {
    const text = `${lines.join('\r\n')}\r\n`;
    const after = toRecordedChapter(text, planRecord(chapter, [hi]).edits);
    expect(after).toBe(text.replace('hello\r\n', 'hi\r\n'));
    expect(toChapterPatch('docs/ch.md', `${lines.join('\n')}\n`, `${lines.join('\n')}\n`.replace('hello', 'hi'))).toMatch(/^diff --git a\/docs\/ch\.md b\/docs\/ch\.md\n--- a\/docs\/ch\.md\n\+\+\+ b\/docs\/ch\.md\n@@ -5,7 \+5,7 @@\n/);
  });
});
