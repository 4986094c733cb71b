/**
 * `--help` (and `-h`) of every command, read once by parseFlags: the command's usage on stdout, exit 0, and
 * nothing else done (no book needed, nothing written).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBookrun } from '../testing/run-bookrun.ts';

const empty = mkdtempSync(path.join(os.tmpdir(), 'bookrun-help-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

const commands: Array<[string[], string]> = [
  [['init'], 'usage: bookrun init'],
  [['plan'], 'usage: bookrun plan'],
  [['run'], 'usage: bookrun run'],
  [['lint'], 'usage: bookrun lint'],
  [['gists'], 'usage: bookrun gists'],
  [['export'], 'usage: bookrun export leanpub'],
  [['export', 'blog'], 'usage: bookrun export blog'],
  [['dev'], 'usage: bookrun dev'],
  [['build'], 'usage: bookrun build'],
  [['serve'], 'usage: bookrun serve'],
  [['connect'], 'usage: bookrun connect'],
  [['status'], 'usage: bookrun status'],
  [['ci'], 'usage: bookrun ci github'],
];

describe('bookrun COMMAND --help', () => {
  it.each(commands)('%s prints its usage and does nothing else', async (command, usage) => {
    for (const flag of ['--help', '-h']) {
      const result = await runBookrun([...command, flag], empty);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.startsWith(usage)).toBe(true);
      expect(result.stderr).toBe('');
    }
    expect(readdirSync(empty)).toEqual([]);
  });

  it('still refuses a bad flag beside it, naming the nearest', async () => {
    const result = await runBookrun(['plan', '--hepl'], empty);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown flag --hepl: did you mean --help?');
  });
});
