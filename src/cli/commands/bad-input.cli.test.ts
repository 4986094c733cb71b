/**
 * Bad input gets a clear error before anything runs: exit 2, `FILE:LINE` when there is one, and what to do.
 * Each test is the bad input itself, given to the real CLI.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runBookrun } from '../../testing/run-bookrun.ts';
import { copyFixture } from '../../testing/copy-fixture.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../run/fixtures');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fixtureBook(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-bad-input-'));
  dirs.push(dir);
  copyFixture(fixtures, dir);
  return dir;
}

const PROSE = '# Why Canaries Matter\n\nA canary sends a few requests to a new release first. There is nothing to run in this chapter.\n';

describe('a chapter with no commands, or that is not text', () => {
  it('bookrun run of a chapter with no commands exits 2 with FILE:1 and a hint; plan, lint and export still take it', async () => {
    const dir = fixtureBook();
    writeFileSync(path.join(dir, 'prose.md'), PROSE);
    writeFileSync(path.join(dir, 'empty.md'), '');
    for (const chapter of ['prose.md', 'empty.md']) {
      const result = await runBookrun(['run', chapter, '--variant', 'gke-static'], dir);
      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(`${chapter}:1: no commands to run`);
      expect(result.stdout).not.toContain('PASSED');
    }
    expect(existsSync(path.join(dir, '.bookrun'))).toBe(false);
    expect((await runBookrun(['plan', 'prose.md', '--variant', 'gke-static'], dir)).code).toBe(0);
    const lint = await runBookrun(['lint', 'prose.md', '--no-shell'], dir);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const exported = await runBookrun(['export', 'leanpub', 'prose.md', '--out', 'out'], dir);
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'out/prose.md'), 'utf8')).toContain('# Why Canaries Matter');
  });

  it('a binary chapter (NUL bytes) or one in another encoding exits 2 with FILE:LINE, for every command', async () => {
    const dir = fixtureBook();
    writeFileSync(path.join(dir, 'binary.md'), Buffer.concat([Buffer.from('# Looks Like A Chapter\n\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a])]));
    writeFileSync(path.join(dir, 'latin1.md'), Buffer.from('# Caf\u00e9 Releases\n\n```bash\necho "caf\u00e9"\n```\n', 'latin1'));
    for (const args of [['run', 'binary.md', '--variant', 'gke-static'], ['plan', 'binary.md'], ['lint', 'binary.md'], ['gists', 'binary.md', '--out', 'g'], ['export', 'leanpub', 'binary.md', '--out', 'o']]) {
      const result = await runBookrun(args, dir);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain('binary.md:3: not a text chapter (it holds NUL bytes, as binary files do)');
    }
    const latin = await runBookrun(['run', 'latin1.md', '--variant', 'gke-static'], dir);
    expect(latin.code).toBe(2);
    expect(latin.stderr).toContain('latin1.md:1: not a text chapter (invalid UTF-8 at byte 6)');
    expect(latin.stderr).toContain('save the file as UTF-8');
    expect(existsSync(path.join(dir, 'g'))).toBe(false);
    expect(existsSync(path.join(dir, 'o'))).toBe(false);
  });

  it('a chapter whose last command is exit passes', async () => {
    const dir = fixtureBook();
    writeFileSync(path.join(dir, 'closing.md'), '# Closing The Terminal\n\n```bash\necho "we are done"\n```\n\nWe close the terminal.\n\n```bash\nexit 0\n```\n');
    const result = await runBookrun(['run', 'closing.md', '--variant', 'gke-static', '--no-save-report'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('PASS L10 exit 0');
  });
});

describe('bookrun.yaml: unknown keys at every level', () => {
  it('exits 2 with FILE:LINE, the key, "did you mean" and the keys that exist', async () => {
    const dir = fixtureBook();
    const config = readFileSync(path.join(dir, 'bookrun.yaml'), 'utf8');
    // [the config, the line holding the bad key, what the message says after bookrun.yaml:LINE: ]
    const cases: Array<[string, string, string]> = [
      [config.replace('chapters:', 'chapter:'), 'chapter:', 'chapter: unknown key: did you mean chapters? (top-level keys: title, chapters,'],
      [`${config}leanpub:\n  format: lfm\n  smaple: [persist.md]\n`, '  smaple:', 'leanpub.smaple: unknown key: did you mean sample? (leanpub keys: sample, frontmatter, backmatter, matter, format)'],
      [`${config}conditions:\n  unknown:\n    severty: error\n`, '    severty:', 'conditions.unknown.severty: unknown key: did you mean severity?'],
      [config.replace('  default: gke-static', '  default: gke-static\n  defualt: gke-static'), '  defualt:', 'variants.defualt: unknown key: did you mean default?'],
      [`${config}ci:\n  setup:\n    gke-statc: ""\n`, '    gke-statc:', 'ci.setup.gke-statc: unknown variant: did you mean gke-static?'],
      [`${config}style:\n  headingCase: title\n  spelling: british\n`, '  spelling:', 'style.spelling: unknown key (style keys: headingCase)'],
    ];
    for (const [text, needle, said] of cases) {
      writeFileSync(path.join(dir, 'bookrun.yaml'), text);
      const message = `bookrun.yaml:${text.split('\n').findIndex((l) => l.startsWith(needle)) + 1}: ${said}`;
      for (const args of [['plan', 'persist.md'], ['status']]) {
        const result = await runBookrun(args, dir);
        expect(result.code, `${message}\n${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(message);
      }
    }
  });
});

describe('--report and --junit that cannot be written: exit 2 before anything runs', () => {
  it('refuses a path under /proc (without hanging), a folder, and a folder that cannot be made', async () => {
    const dir = fixtureBook();
    mkdirSync(path.join(dir, 'reports'));
    writeFileSync(path.join(dir, 'a-file.txt'), 'not a folder\n');
    for (const [flag, target, why] of [
      ['--report', '/proc/no-such-process/report.json', 'cannot be written'],
      ['--report', '/proc/self/report.json', 'cannot be written'],
      ['--junit', 'reports', 'is a folder: pass --junit a file name'],
      ['--junit', 'a-file.txt/sub/junit.xml', 'cannot be written (a part of its path is a file, not a folder)'],
    ] as const) {
      const result = await runBookrun(['run', 'placeholders.md', '--variant', 'gke-static', '--set', 'USER_NAME=me', flag, target], dir);
      expect(result.code, `${flag} ${target}: ${result.stdout}${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`${target}: ${why}`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(path.join(dir, 'created-by-the-first-step')), `${flag} ${target}`).toBe(false);
    }
  }, 60_000);
});

describe('an unknown flag, on every command', () => {
  it('exits 2 with "did you mean" and the usage, never parseArgs\' raw message', async () => {
    const dir = fixtureBook();
    for (const [args, message] of [
      [['plan', 'persist.md', '--varient', 'gke-static'], 'bookrun plan: unknown flag --varient: did you mean --variant?'],
      [['run', 'persist.md', '--varient', 'gke-static'], 'bookrun run: unknown flag --varient: did you mean --variant?'],
      [['gists', '--chek'], 'bookrun gists: unknown flag --chek: did you mean --check?'],
      [['lint', '--formt', 'json'], 'bookrun lint: unknown flag --formt: did you mean --format?'],
      [['export', 'leanpub', '--drfat'], 'bookrun export: unknown flag --drfat: did you mean --draft?'],
      [['status', '--jsn'], 'bookrun status: unknown flag --jsn: did you mean --json?'],
      [['ci', 'github', '--brnach', 'main'], 'bookrun ci: unknown flag --brnach: did you mean --branch?'],
      [['serve', '--prot', '8080'], 'bookrun serve: unknown flag --prot: did you mean --port?'],
      [['dev', '--prot', '8080'], 'bookrun dev: unknown flag --prot: did you mean --port?'],
      [['plan', 'persist.md', '--frobnicate'], 'bookrun plan: unknown flag --frobnicate\nusage: bookrun plan'],
      [['run', 'persist.md', '--variant'], 'bookrun run: --variant needs a value (--variant VALUE)'],
      [['status', '--json=yes'], 'bookrun status: --json takes no value'],
    ] as const) {
      const result = await runBookrun([...args], dir);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('usage: bookrun');
      expect(result.stderr).not.toContain('To specify a positional argument');
    }
  }, 120_000);
});
