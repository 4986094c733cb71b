import { describe, expect, it } from 'vitest';
import { alignOutput, checkOutput } from './check-output.ts';
import { toRecordedOutput } from './to-recorded-output.ts';

const bare = (text: string) => ({ text, lang: null });

describe('alignOutput (what the matcher lined up) and toRecordedOutput (record mode)', () => {
  it('exposes which actual line each expected line matched, what an elision stood for, what is missing and extra', () => {
    const expected = 'Events:\n...\nStatus: Failed\ndone';
    const actual = 'Events:\n  one\n  two\nStatus: Succeeded\ndone\n';
    expect(alignOutput(bare(expected), actual)).toEqual({
      matched: false,
      lines: [
        { kind: 'match', expected: 0, actual: 0 },
        { kind: 'elided', expected: 1, from: 1, to: 4 },
        { kind: 'missing', expected: 2 },
        { kind: 'match', expected: 3, actual: 4 },
      ],
    });
  });

  it('aligns as many expected lines as can be (longest common subsequence), not only the first ones', () => {
    const result = alignOutput(bare('a\nx\nb\nc'), 'a\nb\nc\n');
    expect(result.lines.filter((l) => l.kind === 'match')).toHaveLength(3);
    expect(checkOutput(bare('a\nx\nb\nc'), 'a\nb\nc\n').diff).toBe('--- expected\n+++ actual\n@@ -1,4 +1,3 @@\n a\n-x\n b\n c');
  });

  it('keeps every aligned line as the author wrote it (elisions, [...], AGE, hashes, IPs), takes the rest as printed', () => {
    const expected = ['NAME      READY   STATUS    AGE', 'web-v1    1/1     Pending   11m', 'commit 3f9a2c1d0b7e from 10.0.0.7', 'Status: [...]', '...', 'the end'].join('\n');
    const actual = ['NAME   READY   STATUS    AGE', 'web-v1   1/1   Running   2s', 'commit 9b8a7c6d5e4f from 35.1.2.3', 'Status: Succeeded (3 tries)', 'noise', 'more noise', 'the end', 'a new last line   '].join('\n');
    const recorded = toRecordedOutput(bare(expected), actual);
    expect(recorded).toBe(['NAME      READY   STATUS    AGE', 'web-v1   1/1   Running   2s', 'commit 3f9a2c1d0b7e from 10.0.0.7', 'Status: [...]', '...', 'the end', 'a new last line'].join('\n'));
    // What was recorded matches what was printed.
    expect(checkOutput(bare(recorded), actual).matched).toBe(true);
  });
});
