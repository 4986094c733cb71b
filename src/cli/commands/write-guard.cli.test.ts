/**
 * Nothing of the author's is lost: every writer (export, gists, reports) goes through one guard. The book
 * here uses Leanpub's own layout (chapters, Book.txt and Sample.txt in manuscript/), where the export's old
 * default (`--out manuscript/`) rewrote the chapters without their notes and cut Book.txt to one entry.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runBookrun } from '../../testing/run-bookrun.ts';
import { copyFixture } from '../../testing/copy-fixture.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../export/fixtures');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function leanpubBook(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-guard-'));
  dirs.push(dir);
  copyFixture(path.join(fixtures, 'leanpub-book'), dir);
  return dir;
}

/** sha256 of every file under `dir`, by relative path: the proof that not one byte changed. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('bookrun export leanpub on a book in Leanpub layout', () => {
  it('writes publish/leanpub/ by default; not one byte under manuscript/ changes', async () => {
    const dir = leanpubBook();
    const before = hashes(path.join(dir, 'manuscript'));
    expect(Object.keys(before)).toContain('Book.txt');
    const result = await runBookrun(['export', 'leanpub', '--draft'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(hashes(path.join(dir, 'manuscript'))).toEqual(before);
    expect(readFileSync(path.join(dir, 'publish/leanpub/Book.txt'), 'utf8')).toBe('01-intro.md\n02-deploy.md\n03-cleanup.md\n');
    expect(readFileSync(path.join(dir, 'publish/leanpub/02-deploy.md'), 'utf8')).not.toContain('NOTE:');
    expect(existsSync(path.join(dir, 'publish/leanpub/images/canary-flow.png'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'publish/leanpub/.bookrun-manifest.json'), 'utf8'));
    expect(manifest.files).toEqual(['01-intro.md', '02-deploy.md', '03-cleanup.md', 'Book.txt', 'Sample.txt', 'images/canary-flow.png']);
    // A second export replaces what the first wrote: those files are bookrun's.
    expect((await runBookrun(['export', 'leanpub', '--draft'], dir)).code).toBe(0);
  });

  it('refuses --out manuscript (exit 2, naming it and the flag) and changes nothing', async () => {
    const dir = leanpubBook();
    const before = hashes(path.join(dir, 'manuscript'));
    for (const out of ['manuscript', 'manuscript/images', '.', 'manuscript/../manuscript/']) {
      const result = await runBookrun(['export', 'leanpub', '--draft', '--out', out], dir);
      expect(result.code, `${out}: ${result.stdout}${result.stderr}`).toBe(2);
      expect(result.stderr).toContain('--out another folder');
      expect(result.stderr).toMatch(/source folder of the book/);
    }
    const refused = await runBookrun(['export', 'leanpub', '--draft', '--out', 'manuscript'], dir);
    expect(refused.stderr).toContain('bookrun export: manuscript: is a source folder of the book (it holds chapters)');
    expect(hashes(path.join(dir, 'manuscript'))).toEqual(before);
    expect(existsSync(path.join(dir, 'publish'))).toBe(false);
  });

  it('never overwrites a file bookrun did not write (not in the folder\'s manifest): exit 2 naming it', async () => {
    const dir = leanpubBook();
    mkdirSync(path.join(dir, 'publish/leanpub'), { recursive: true });
    writeFileSync(path.join(dir, 'publish/leanpub/Book.txt'), 'my-own-order.md\n');
    const result = await runBookrun(['export', 'leanpub', '--draft'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(`${path.join('publish', 'leanpub', 'Book.txt')}: exists and bookrun did not write it`);
    expect(result.stderr).toContain('move it away or delete it');
    expect(readFileSync(path.join(dir, 'publish/leanpub/Book.txt'), 'utf8')).toBe('my-own-order.md\n');
    // Nothing else was written either: the export checks every file before the first.
    expect(readdirSync(path.join(dir, 'publish/leanpub'))).toEqual(['Book.txt']);
  });
});

describe('bookrun gists and bookrun run --report/--junit go through the same guard', () => {
  it('refuses gists --out manuscript, and a hand-written gist is kept unless it is what bookrun would write', async () => {
    const dir = leanpubBook();
    const before = hashes(path.join(dir, 'manuscript'));
    const into = await runBookrun(['gists', '--out', 'manuscript'], dir);
    expect(into.code, into.stdout + into.stderr).toBe(2);
    expect(into.stderr).toContain('manuscript: is a source folder of the book');
    expect(hashes(path.join(dir, 'manuscript'))).toEqual(before);

    mkdirSync(path.join(dir, 'gists'));
    writeFileSync(path.join(dir, 'gists/02-deploy.sh'), '# my own notes, not a generated gist\n');
    const kept = await runBookrun(['gists'], dir);
    expect(kept.code, kept.stdout + kept.stderr).toBe(2);
    expect(kept.stderr).toContain(`${path.join('gists', '02-deploy.sh')}: exists and bookrun did not write it`);
    expect(readFileSync(path.join(dir, 'gists/02-deploy.sh'), 'utf8')).toBe('# my own notes, not a generated gist\n');
    expect(existsSync(path.join(dir, 'gists/01-intro.sh'))).toBe(false);

    rmSync(path.join(dir, 'gists/02-deploy.sh'));
    expect((await runBookrun(['gists'], dir)).code).toBe(0);
    const generated = readFileSync(path.join(dir, 'gists/02-deploy.sh'), 'utf8');
    // A gist committed before manifests existed, equal to what bookrun writes: taken over, nothing lost.
    rmSync(path.join(dir, 'gists/.bookrun-manifest.json'));
    expect((await runBookrun(['gists'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'gists/02-deploy.sh'), 'utf8')).toBe(generated);
  });

  it('refuses a --report or --junit that is a chapter, Book.txt or inside manuscript/, before anything runs', async () => {
    const dir = leanpubBook();
    const before = hashes(path.join(dir, 'manuscript'));
    for (const [flag, target] of [
      ['--report', 'manuscript/02-deploy.md'],
      ['--junit', 'manuscript/Book.txt'],
      ['--report', 'manuscript/report.json'],
      ['--junit', 'bookrun.yaml'],
    ] as const) {
      const result = await runBookrun(['run', 'manuscript/02-deploy.md', '--variant', 'gke-static', '--set', 'VERSION=1.0.0', flag, target], dir);
      expect(result.code, `${flag} ${target}: ${result.stdout}${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`${target}: is `);
      expect(result.stderr).toContain(`pass ${flag} another file`);
    }
    expect(hashes(path.join(dir, 'manuscript'))).toEqual(before);
    expect(existsSync(path.join(dir, 'release'))).toBe(false);
    // The same run with its reports elsewhere passes; the explicit files may be overwritten next time.
    writeFileSync(path.join(dir, 'report.json'), 'an old report\n');
    const ok = await runBookrun(['run', 'manuscript/02-deploy.md', '--variant', 'gke-static', '--set', 'VERSION=1.0.0', '--report', 'report.json', '--junit', 'out/junit.xml'], dir);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).status).toBe('passed');
    expect(readFileSync(path.join(dir, 'out/junit.xml'), 'utf8')).toContain('<testsuite');
    // No temporary file of an atomic write is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(hashes(path.join(dir, 'manuscript'))).toEqual(before);
    expect(statSync(path.join(dir, '.bookrun')).mode & 0o777).toBe(0o700);
  });
});
