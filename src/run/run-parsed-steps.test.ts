import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBook, readChapter } from '../book/read-book.ts';
import { planChapter } from '../core/plan-chapter.ts';
import { runChapter } from './run-chapter.ts';
import type { RunReport } from './run-events.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const fence = '```';

/** Writes a one-chapter book into a fresh folder and runs the chapter headless with real bash. */
async function run(chapter: string[], keepGoing = false): Promise<{ report: RunReport; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-parsed-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'bookrun.yaml'), 'title: T\nchapters: [ch.md]\nvariants:\n  dimensions:\n    cloud: [local]\n');
  writeFileSync(path.join(dir, 'ch.md'), chapter.join('\n'));
  const book = await readBook({ config: path.join(dir, 'bookrun.yaml') });
  const parsed = await readChapter(book, path.join(dir, 'ch.md'), 'ch.md');
  const report = await runChapter({
    plan: planChapter(parsed, { name: 'local', values: { cloud: 'local' } }, book.config),
    chapter: { title: parsed.title, file: 'ch.md', sha256: 'test' },
    cwd: dir,
    values: {},
    watchTimeoutMs: 30_000,
    stepTimeoutMs: 30_000,
    waitTimeoutMs: 30_000,
    keepGoing,
  });
  return { report, dir };
}

describe('runChapter with what the parser reads from real chapters', () => {
  it('fails at a command that opens a nested shell, with that reason, without running it or the commands meant inside it', async () => {
    const { report, dir } = await run([
      '# Nested', '', `${fence}bash`,
      // A stand-in for docker that would open an interactive shell and wait for keystrokes.
      'docker() { touch docker-ran; bash -i; }', '',
      'docker run -it --rm alpine:3.20 sh', '', 'touch inside.txt', '', 'exit', '', 'touch after.txt', fence,
    ]);
    expect(report.status).toBe('failed');
    const opener = report.steps.find((s) => s.line === 6)!;
    expect(opener).toMatchObject({ status: 'failed', attempts: 0, exitCode: null });
    expect(opener.reason).toMatch(/^opens a nested shell \(docker run -it\): a headless run cannot type the commands meant inside it \(lines 8, 10\)/);
    expect(report.steps.filter((s) => s.line > 6).map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped']);
    for (const file of ['docker-ran', 'inside.txt', 'after.txt']) expect(existsSync(path.join(dir, file)), file).toBe(false);
  });

  it('with --keep-going, fails the commands meant inside too and runs the rest', async () => {
    const { report, dir } = await run(['# Nested', '', `${fence}bash`, 'minikube ssh', '', 'touch inside.txt', '', 'exit', '', 'touch after.txt', fence], true);
    expect(report.steps.map((s) => [s.line, s.status])).toEqual([[4, 'failed'], [6, 'failed'], [8, 'failed'], [10, 'passed']]);
    expect(report.steps[1]!.reason).toBe('meant inside the nested shell opened at line 4 (minikube ssh), which a headless run cannot type into');
    expect(existsSync(path.join(dir, 'inside.txt'))).toBe(false);
    expect(existsSync(path.join(dir, 'after.txt'))).toBe(true);
  });

  it('writes the file a chapter shows after an editor command instead of starting the editor', async () => {
    const content = ['apiVersion: v1', 'kind: Secret', 'stringData:', '  password: $NOT_EXPANDED', 'EOF'];
    const { report, dir } = await run([
      '# Editor', '', `${fence}bash`, 'vim() { touch vim-ran; }', fence, '', `${fence}bash`, 'vim secret.yml', fence, '', 'Add the following content.', '', `${fence}yaml`, ...content, fence, '',
      `${fence}bash`, 'cat secret.yml', fence,
    ]);
    expect(report.status).toBe('passed');
    expect(existsSync(path.join(dir, 'vim-ran'))).toBe(false);
    expect(readFileSync(path.join(dir, 'secret.yml'), 'utf8')).toBe(`${content.join('\n')}\n`);
    expect(report.steps.find((s) => s.source === 'vim secret.yml')?.command).toBe(`cat > secret.yml <<'EOF_1'\n${content.join('\n')}\nEOF_1`);
  });
});
