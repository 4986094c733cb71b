import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBook, readChapter } from '../book/read-book.ts';
import { expectGolden } from '../testing/expect-golden.ts';
import { hasShellcheck } from './spawn-shellcheck.ts';
import { spawnLintChecks } from './spawn-lint-checks.ts';
import { toLintRecords } from './to-lint-report.ts';
import { toVFile } from './to-vfile.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const book = await readBook({ cwd: fixtures });
// bookrun's own folder (.bookrun/: the chapter cache of this fixture book) is no rule.
const rules = readdirSync(fixtures, { withFileTypes: true })
  // A rule's folder holds its fixtures; others (`images/`, which fixtures reference) are not rules.
  .filter((d) => d.isDirectory() && existsSync(path.join(fixtures, d.name, 'fail.md')))
  .map((d) => d.name)
  .sort();

async function lint(rule: string, kind: 'pass' | 'fail') {
  const key = `${rule}/${kind}.md`;
  const chapter = await readChapter(book, path.join(fixtures, key), key);
  return toLintRecords([toVFile(key, await spawnLintChecks(chapter, book.config))]);
}

const ruleOf = (dir: string) => (dir === 'shellcheck' ? 'shellcheck/SC2045' : dir);

describe('bookrun lint rules: each has a failing and a passing fixture', () => {
  it('covers every rule the issue asks for', () => {
    expect(rules).toEqual(
      expect.arrayContaining([
        'author-note', 'todo-link', 'gist-link', 'output-in-shell-block', 'shell-syntax', 'shellcheck', 'same-file-pipeline',
        'heading-case', 'unknown-condition', 'placeholder-unexplained', 'watch-without-end', 'crosslink-missing', 'fence-open',
        'diagram-syntax', 'image-missing', 'figure-todo', 'figure-number',
      ]),
    );
  });

  // Never skipped: npm test installs ShellCheck before the suite starts (scripts/test/provision-test-tools.ts).
  const requireShellcheck = async (rule: string) => {
    if (rule === 'shellcheck') expect(await hasShellcheck(), 'shellcheck is not installed: npm test installs it (as root), or apt-get install shellcheck').toBe(true);
  };

  for (const rule of rules) {
    it(`${rule}: the failing fixture is reported (golden JSON)`, async () => {
      await requireShellcheck(rule);
      const records = await lint(rule, 'fail');
      expect(records.map((r) => r.rule)).toContain(ruleOf(rule));
      expectGolden(JSON.stringify(records, null, 2) + '\n', path.join(fixtures, rule, 'fail.expected.json'));
    });
    it(`${rule}: the passing fixture is clean`, async () => {
      await requireShellcheck(rule);
      expect(await lint(rule, 'pass')).toEqual([]);
    });
  }

  it('maps findings to chapter lines: author notes, the same-file pipeline writer, the shell syntax error', async () => {
    expect((await lint('author-note', 'fail')).map((r) => r.line)).toEqual([3, 7, 10]);
    expect((await lint('same-file-pipeline', 'fail')).find((r) => r.rule === 'same-file-pipeline')?.line).toBe(6);
    const syntax = (await lint('shell-syntax', 'fail')).filter((r) => r.rule === 'shell-syntax');
    expect(syntax.map((r) => r.line)).toEqual([4, 14]);
    expect(syntax.every((r) => r.severity === 'error')).toBe(true);
  });

  it('maps ShellCheck findings back to the chapter line and column', async () => {
    requireShellcheck('shellcheck');
    const found = (await lint('shellcheck', 'fail')).find((r) => r.rule === 'shellcheck/SC2045');
    expect(found).toMatchObject({ line: 4, column: 10, severity: 'error' });
  });
});
