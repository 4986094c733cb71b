import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture } from '../../testing/copy-fixture.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(repo, 'src/export/fixtures');
const work = mkdtempSync(path.join(tmpdir(), 'bookrun-publish-'));
copyFixture(path.join(fixtures, 'book'), work);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function bookrun(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(repo, 'bin/bookrun.mjs'), ...args], { cwd: work, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bookrun gists', () => {
  it('writes one gist per chapter into gists/, and --check passes on them', () => {
    const run = bookrun('gists');
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(work, 'gists/canary.sh'), 'utf8')).toBe(readFileSync(path.join(fixtures, 'expected/gists/canary.sh'), 'utf8'));
    expect(readFileSync(path.join(work, 'gists/cleanup.sh'), 'utf8')).toBe(readFileSync(path.join(fixtures, 'expected/gists/cleanup.sh'), 'utf8'));
    expect(bookrun('gists', '--check').code).toBe(0);
  });

  it('--check exits 1 naming the gist that differs from the chapter, and the commands it lacks and has extra', () => {
    const file = path.join(work, 'gists/cleanup.sh');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('GH_USER=[...]', 'GH_USER=vfarcic'));
    const run = bookrun('gists', '--check');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('gists/cleanup.sh: 2 commands differ from docs/cleanup.md:\n  lacks  docs/cleanup.md:12  GH_USER=[...]\n  extra  gists/cleanup.sh:11  GH_USER=vfarcic\n');
    expect(run.stderr).toContain('2 chapters, gists in gists/: 1 match, 1 drifted');
    // A gist bookrun wrote must match byte for byte: a comment changed is a difference too.
    writeFileSync(file, `${good}# a note of mine\n`);
    const layout = bookrun('gists', '--check');
    expect(layout.code).toBe(1);
    expect(layout.stderr).toContain('gists/cleanup.sh: differs from what docs/cleanup.md generates (comments or layout only)');
    writeFileSync(file, good);
  });

  it('--variant writes a flattened script; bad input exits 2 with what to do', () => {
    expect(bookrun('gists', 'docs/canary.md', '--variant', 'eks-serverless').code).toBe(0);
    expect(readFileSync(path.join(work, 'gists/canary.eks-serverless.sh'), 'utf8')).toBe(readFileSync(path.join(fixtures, 'expected/gists/canary.eks-serverless.sh'), 'utf8'));
    const unknown = bookrun('gists', '--variant', 'aks-static');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('known variants: gke-static, gke-serverless, eks-static, eks-serverless');
    const missing = bookrun('gists', 'docs/nope.md');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('docs/nope.md: no such chapter file');
  });
});

describe('bookrun export leanpub', () => {
  it('refuses while author notes, review items and unresolved gist links remain, listing each FILE:LINE', () => {
    const run = bookrun('export', 'leanpub');
    expect(run.code).toBe(1);
    for (const line of ['docs/canary.md:4 unchecked review item: Gist [checklist]', 'docs/canary.md:11 author note: TODO: Explain why the metrics matter more than the tests [author-note]', 'docs/canary.md:17 gist link eks-jx.sh has no URL in gists.urls (bookrun.yaml) [gist-link]', 'docs/canary.md:81 author note: # TODO: Check whether this works on AKS [author-note]']) {
      expect(run.stderr).toContain(line);
    }
    expect(run.stderr).toContain('export refused: 7 findings');
    expect(existsSync(path.join(work, 'publish'))).toBe(false);
  });

  it('--draft writes Book.txt, matter files, chapters without author notes, and the images', () => {
    const run = bookrun('export', 'leanpub', '--draft');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('draft: 7 findings left');
    const out = path.join(work, 'publish', 'leanpub');
    expect(readFileSync(path.join(out, 'Book.txt'), 'utf8')).toBe('frontmatter.txt\npreface.md\nmainmatter.txt\ncanary.md\ncleanup.md\n');
    for (const name of ['Book.txt', 'Sample.txt', 'frontmatter.txt', 'mainmatter.txt', 'preface.md', 'canary.md', 'cleanup.md']) {
      expect(readFileSync(path.join(out, name), 'utf8'), name).toBe(readFileSync(path.join(fixtures, 'expected/lfm', name), 'utf8'));
    }
    expect(readFileSync(path.join(out, 'images/canary-flow.png'))).toEqual(readFileSync(path.join(work, 'docs/images/canary-flow.png')));
  });

  it('--format markua puts images under resources/ and writes no Sample.txt', () => {
    expect(bookrun('export', 'leanpub', '--format', 'markua', '--draft', '--out', 'markua').code).toBe(0);
    expect(existsSync(path.join(work, 'markua/resources/images/canary-flow.png'))).toBe(true);
    expect(existsSync(path.join(work, 'markua/Sample.txt'))).toBe(false);
    expect(readFileSync(path.join(work, 'markua/canary.md'), 'utf8')).toBe(readFileSync(path.join(fixtures, 'expected/markua/canary.md'), 'utf8'));
  });

  it('reports crosslinks to chapters left out of the export, and exports a clean chapter outside docs/ as a one-chapter book', () => {
    const alone = bookrun('export', 'leanpub', 'docs/cleanup.md', '--out', 'alone');
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('docs/cleanup.md:3 crosslink to #canary: no exported chapter defines that id [crosslink-missing]');
    mkdirSync(path.join(work, 'extra'), { recursive: true });
    writeFileSync(path.join(work, 'extra/appendix.md'), '# Useful Links\n\nThe [Flagger docs](https://docs.flagger.app) explain more.\n\n```bash\nkubectl get canaries --all-namespaces\n```\n');
    const one = bookrun('export', 'leanpub', 'extra/appendix.md', '--out', 'one');
    expect(one.code).toBe(0);
    expect(readFileSync(path.join(work, 'one/Book.txt'), 'utf8')).toBe('appendix.md\n');
  });

  it('exits 2 on a missing or unknown target and a bad format', () => {
    expect(bookrun('export').code).toBe(2);
    expect(bookrun('export', 'pdf').code).toBe(2);
    expect(bookrun('export', 'leanpub', '--format', 'docx').code).toBe(2);
  });
});

describe('bookrun lint', () => {
  it('prints FILE:LINE:COL severity message [rule] and exits 1 on errors', () => {
    const run = bookrun('lint');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('docs/canary.md:17:40 error gist eks-jx.sh has no URL yet: publish it and set gists.urls["eks-jx.sh"] in bookrun.yaml [gist-link]');
    expect(run.stdout).toContain('docs/canary.md:89:1 warning output pasted inside the shell block');
  });

  it('--format json emits file, line, column, rule, severity, message; a clean chapter exits 0', () => {
    const run = bookrun('lint', 'extra/appendix.md', '--format', 'json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
    const json = JSON.parse(bookrun('lint', 'docs/canary.md', '--format', 'json').stdout) as Array<Record<string, unknown>>;
    expect(Object.keys(json[0]!).sort()).toEqual(['column', 'file', 'line', 'message', 'rule', 'severity']);
    expect(bookrun('lint', '--format', 'xml').code).toBe(2);
  });
});
