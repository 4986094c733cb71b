/**
 * One way to open a chapter: every command finds the book config by the same rule (`--config`, else the
 * chapter's own folder upwards, then the current folder). From book A, `plan ../b/docs/ch.md --variant kind`
 * worked while `run` with the same arguments said `unknown variant "kind"`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBookrun } from '../../testing/run-bookrun.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-two-books-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bookA = path.join(dir, 'a');
const bookB = path.join(dir, 'b');
mkdirSync(path.join(bookA, 'docs'), { recursive: true });
mkdirSync(path.join(bookB, 'docs'), { recursive: true });
writeFileSync(path.join(bookA, 'bookrun.yaml'), 'title: Book A\nchapters: [docs/a.md]\nvariants:\n  dimensions:\n    cloud: [gke, eks]\n');
writeFileSync(path.join(bookA, 'docs/a.md'), '# Book A\n\n```bash\necho a\n```\n');
writeFileSync(path.join(bookB, 'bookrun.yaml'), 'title: Book B\nchapters: [docs/ch.md]\nvariants:\n  dimensions:\n    cluster: [kind, minikube]\n');
writeFileSync(
  path.join(bookB, 'docs/ch.md'),
  '# A Local Cluster\n\n```bash\n# If kind\necho "kind cluster" | tee cluster.txt\n\n# If minikube\necho "minikube cluster" | tee cluster.txt\n```\n',
);

describe('every command opens a chapter the same way', () => {
  it('plan and run of ../b/docs/ch.md from book A both use book B\'s config', async () => {
    const plan = await runBookrun(['plan', '../b/docs/ch.md', '--variant', 'kind', '--json'], bookA);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout).variant).toEqual({ name: 'kind', values: { cluster: 'kind' } });
    const dry = await runBookrun(['run', '../b/docs/ch.md', '--variant', 'kind', '--dry-run'], bookA);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('echo "kind cluster" | tee cluster.txt');
    const run = await runBookrun(['run', '../b/docs/ch.md', '--variant', 'kind', '--report', 'r.json'], bookA);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(bookA, 'r.json'), 'utf8'));
    expect(report.chapter.file).toBe('docs/ch.md');
    expect(readFileSync(path.join(bookA, 'cluster.txt'), 'utf8')).toBe('kind cluster\n');
    // Its state and saved report belong to book B, whose chapter it is.
    expect(report.variant.name).toBe('kind');
    expect(readFileSync(path.join(bookB, '.bookrun/.gitignore'), 'utf8')).toContain('*');
  });

  it('lint, gists and export of ../b/docs/ch.md from book A agree too; --config wins over both', async () => {
    const lint = await runBookrun(['lint', '../b/docs/ch.md', '--no-shell', '--format', 'json'], bookA);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    // "kind" is a value of book B's matrix: no unknown-condition finding.
    expect(JSON.parse(lint.stdout)).toEqual([]);
    const gists = await runBookrun(['gists', '../b/docs/ch.md', '--variant', 'minikube', '--out', path.join(dir, 'gists')], bookA);
    expect(gists.code, gists.stdout + gists.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'gists/ch.minikube.sh'), 'utf8')).toContain('echo "minikube cluster"');
    const exported = await runBookrun(['export', 'leanpub', '../b/docs/ch.md', '--out', path.join(dir, 'lp')], bookA);
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'lp/Book.txt'), 'utf8')).toBe('ch.md\n');
    const withA = await runBookrun(['run', '../b/docs/ch.md', '--variant', 'kind', '--dry-run', '--config', 'bookrun.yaml'], bookA);
    expect(withA.code).toBe(2);
    expect(withA.stderr).toContain('unknown variant "kind"; known variants: gke, eks');
  });
});
