import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import type { Diagnostic, Severity, Step } from '../core/model.ts';

/**
 * ShellCheck codes that do not fit book snippets, which readers paste one at a time into an interactive
 * shell where earlier steps defined the variables:
 * - SC2086/SC2046 (quote to prevent word splitting): the genre writes `$GH_USER/environment-…` unquoted
 *   on purpose, for readability; every variable would be flagged.
 * - SC2034 (assigned but unused) and SC2154 (used but not assigned): variables cross steps and blocks.
 * - SC2164 (`cd … || exit`), SC2103 (`cd ..` → subshell): interactive sessions, not scripts.
 * - SC2002 (useless cat): `cat f | sed …` is the readers' idiom.
 * - SC2016 (no expansion in single quotes): jsonpath and awk programs are single-quoted on purpose.
 * - SC2155 (declare and assign separately): `export X="$(…)"` is the idiom for a value a reader reuses.
 * - SC1091 (not following sourced file), SC2125/SC2102 (`VERSION=[...]` placeholders are globs by form).
 */
export const SHELLCHECK_EXCLUDES = ['SC1091', 'SC2002', 'SC2016', 'SC2034', 'SC2046', 'SC2086', 'SC2102', 'SC2103', 'SC2125', 'SC2154', 'SC2155', 'SC2164'];

let available: Promise<boolean> | undefined;

/** Whether `shellcheck` is on PATH (asked once per process; a missing program is an answer, not an error). */
export function hasShellcheck(): Promise<boolean> {
  available ??= $({ nothrow: true, quiet: true, verbose: false })`shellcheck --version`.then((r) => r.exitCode === 0);
  return available;
}

interface Json1 {
  comments: Array<{ file: string; line: number; endLine: number; column: number; level: string; code: number; message: string }>;
}

/**
 * Runs ShellCheck on each step's command as its own script (one file per command, all in one shellcheck
 * process, so nothing leaks from one command into the next) and maps each finding back to the chapter
 * line. Steps must already pass `bash -n`. Resolves to [] when shellcheck is not installed.
 * Rules are `shellcheck/SC<code>`; error → error, warning → warning, info and style → info.
 */
export async function spawnShellcheck(steps: Step[], options: { exclude?: string[] } = {}): Promise<Diagnostic[]> {
  if (steps.length === 0 || !(await hasShellcheck())) return [];
  const dir = await mkdtemp(path.join(tmpdir(), 'bookrun-shellcheck-'));
  try {
    const files = new Map<string, Step>();
    await Promise.all(
      steps.map(async (step, i) => {
        const file = path.join(dir, `step-${i}.sh`);
        files.set(file, step);
        await writeFile(file, `${step.command}\n`);
      }),
    );
    const exclude = (options.exclude ?? SHELLCHECK_EXCLUDES).join(',');
    // ShellCheck exits 1 when it found something: that is its answer, not a failure (`nothrow`).
    const result = await $({ nothrow: true, quiet: true, verbose: false })`shellcheck --shell=bash --format=json1 ${`--exclude=${exclude}`} ${[...files.keys()]}`;
    const stdout = result.stdout;
    let parsed: Json1;
    try {
      parsed = JSON.parse(stdout) as Json1;
    } catch {
      return [];
    }
    const levels: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'info' };
    return parsed.comments.flatMap((c) => {
      const step = files.get(c.file);
      if (!step) return [];
      return [{
        line: step.line + c.line - 1,
        column: c.column,
        rule: `shellcheck/SC${c.code}`,
        severity: levels[c.level] ?? 'info',
        message: `SC${c.code}: ${c.message}`,
      }];
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
