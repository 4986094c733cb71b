/**
 * A book in Leanpub's layout, as its author has it (manuscript/ with Book.txt, Sample.txt, matter files, the
 * published gists beside the chapters, a draft Book.txt does not list), through every command that reads it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runBookrun } from '../../testing/run-bookrun.ts';
import { copyFixture } from '../../testing/copy-fixture.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.resolve(here, '../../book/fixtures/leanpub-book');
const config = path.join(here, 'fixtures', 'init', 'leanpub-book.bookrun.yaml');
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function book(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-leanpub-cli-'));
  made.push(dir);
  copyFixture(fixture, dir);
  cpSync(config, path.join(dir, 'bookrun.yaml'));
  return dir;
}

describe('a book in Leanpub\'s layout', () => {
  it('gists --check compares the author\'s own gists beside the chapters: per chapter, the commands it lacks and has extra', async () => {
    const dir = book();
    const r = await runBookrun(['gists', '--check'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        'manuscript/03-canary.sh: 4 commands differ from manuscript/03-canary.md:',
        '  lacks  manuscript/03-canary.md:29  kubectl --namespace canaries rollout status deployment canaries-demo',
        `  lacks  manuscript/03-canary.md:42  kubectl --namespace canaries patch canary canaries-demo --type merge --patch '{"spec": {"analysis": {"stepWeight": 20}}}'`,
        `  extra  manuscript/03-canary.sh:14  kubectl --namespace canaries patch canary canaries-demo --type merge --patch '{"spec": {"analysis": {"stepWeight": 10}}}'`,
        '  extra  manuscript/03-canary.sh:22  kubectl --namespace canaries delete canary canaries-demo',
        '8 chapters, gists in manuscript/: 5 match (1 with comments or layout of their own), 1 drifted, 2 chapters have no commands',
        '',
      ].join('\n'),
    );
  });

  it('gists refuses to write beside the chapters (a source folder) and writes where --out says', async () => {
    const dir = book();
    const refused = await runBookrun(['gists'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('manuscript: is a source folder of the book (it holds chapters): bookrun never writes there; pass --out another folder');
    const written = await runBookrun(['gists', '--out', 'gists'], dir);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('wrote gists/03-canary.sh');
    expect(written.stdout).not.toContain('00-preface');
  });

  it('status proves "Add to Book.txt" by Book.txt, and a gist of the author\'s own by its commands', async () => {
    const dir = book();
    // The draft becomes a chapter bookrun works on, but Book.txt still does not list it.
    writeFileSync(path.join(dir, 'bookrun.yaml'), readFileSync(path.join(dir, 'bookrun.yaml'), 'utf8').replace('chapters: manuscript/Book.txt', 'chapters:\n  - manuscript/01-setup.md\n  - manuscript/11-draft.md\n  - manuscript/03-canary.md'));
    const r = await runBookrun(['status', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const status = JSON.parse(r.stdout) as { chapters: Array<{ file: string; items: Array<{ text: string; state: string; evidence: string }> }> };
    expect(status.chapters.map((c) => c.file)).toEqual(['manuscript/01-setup.md', 'manuscript/03-canary.md', 'manuscript/11-draft.md']);
    const item = (file: string, text: string) => status.chapters.find((c) => c.file === file)!.items.find((i) => i.text === text)!;
    expect(item('manuscript/11-draft.md', 'Add to Book.txt')).toMatchObject({ state: 'failed', evidence: 'not listed in manuscript/Book.txt: add a line with 11-draft.md where it belongs in the book' });
    expect(item('manuscript/03-canary.md', 'Add to Book.txt')).toMatchObject({ state: 'passed', evidence: 'chapter 4 of 8 in manuscript/Book.txt' });
    expect(item('manuscript/01-setup.md', 'Gist')).toMatchObject({ state: 'passed', evidence: expect.stringContaining('manuscript/01-setup.sh has every command of the chapter, in order (its comments and layout are its own)') });
    expect(item('manuscript/03-canary.md', 'Gist').evidence).toContain('it lacks 2 and has 2 extra command(s)');
  });

  it('export leanpub writes Book.txt in its order with the matter files, the sample from Sample.txt, and leaves out what Book.txt does not list', async () => {
    const dir = book();
    writeFileSync(path.join(dir, 'bookrun.yaml'), readFileSync(path.join(dir, 'bookrun.yaml'), 'utf8').replace('chapters: manuscript/Book.txt', 'chapters:\n  - manuscript/11-draft.md\n  - manuscript/01-setup.md'));
    const r = await runBookrun(['export', 'leanpub', '--draft'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('manuscript/11-draft.md: not in manuscript/Book.txt, so not exported (add it to Book.txt to publish it)');
    const out = path.join(dir, 'publish', 'leanpub');
    expect(readFileSync(path.join(out, 'Book.txt'), 'utf8')).toBe(
      ['frontmatter.txt', '00-preface.md', 'mainmatter.txt', '01-setup.md', '02-first-app.md', '03-canary.md', '04-metrics.md', '05-serverless.md', '06-what-now.md', 'backmatter.txt', '90-glossary.md', ''].join('\n'),
    );
    expect(readFileSync(path.join(out, 'frontmatter.txt'), 'utf8')).toBe('{frontmatter}\n');
    expect(readFileSync(path.join(out, 'Sample.txt'), 'utf8')).toContain('00-preface.md\nmainmatter.txt\n01-setup.md\n02-first-app.md\n');
    expect(readFileSync(path.join(out, 'Sample.txt'), 'utf8')).not.toContain('03-canary.md');
    const setup = readFileSync(path.join(out, '01-setup.md'), 'utf8');
    expect(setup).toContain('-# Part One: The Cluster\n\n# Creating A Cluster {#cluster-setup}');
    expect(setup).not.toContain('## TODO');
    expect(readFileSync(path.join(out, 'images', 'first-app.png')).length).toBeGreaterThan(100);
  });

  it('plans, lints and runs CI over the chapters of Book.txt', async () => {
    const dir = book();
    const plan = await runBookrun(['plan', '--variant', 'all', '--json'], dir);
    expect(plan.code, plan.stderr).toBe(0);
    const plans = (JSON.parse(plan.stdout) as { plans: Array<{ chapter: { file: string }; variant: { name: string } }> }).plans;
    expect(plans).toHaveLength(8 * 6);
    const lint = await runBookrun(['lint', '--no-shell', '--format', 'json'], dir);
    expect(lint.stdout).toContain('manuscript/05-serverless.md');
    expect(lint.stdout).not.toContain('11-draft');
    const ci = await runBookrun(['ci', 'github', '--out', '-'], dir);
    expect(ci.code, ci.stderr).toBe(0);
    expect(ci.stdout).toContain('manuscript/03-canary.md');
  });
});
