import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteShell, quoteShellValue } from './quote-shell.ts';

describe('quoteShellValue', () => {
  it('keeps harmless values bare and single-quotes the rest', () => {
    expect(quoteShellValue('1.2.3')).toBe('1.2.3');
    expect(quoteShellValue('a b')).toBe("'a b'");
    expect(quoteShellValue('$(id)')).toBe("'$(id)'");
    expect(quoteShellValue("it's")).toBe("'it'\\''s'");
    expect(quoteShellValue('')).toBe("''");
  });
});

describe('quoteShell', () => {
  it('gives bash back every text as one word, exactly', () => {
    const texts = ["it's", '$(touch pwned)', '`id`', 'a\tb', '"; rm -rf ~ #', "''", '\\', '*', '~', '!!', ''];
    const script = texts.map((t) => `printf '%s\\0' ${quoteShell(t)}`).join('\n');
    const bash = spawnSync('bash', ['--noprofile', '--norc', '-c', script], { encoding: 'utf8' });
    expect(bash.status).toBe(0);
    expect(bash.stdout.split('\0').slice(0, -1)).toEqual(texts);
  });
});
