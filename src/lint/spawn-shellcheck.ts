import { spawn, spawnSync } from 'node:child_process';
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

let available: boolean | undefined;

/** Whether `shellcheck` is on PATH (asked once per process). */
export function hasShellcheck(): boolean {
  if (available === undefined) {
    const probe = spawnSync('shellcheck', ['--version'], { stdio: 'ignore' });
    available = probe.status === 0;
  }
  return available;
}

interface Json1 {
  comments: Array<{ line: number; endLine: number; column: number; level: string; code: number; message: string }>;
}

/**
 * Runs ShellCheck once over all the given steps (each one's command in order, as one bash script) and maps
 * each finding back to the chapter line. Steps must already pass `bash -n`: a syntax error would stop
 * ShellCheck from reading the rest. Resolves to [] when shellcheck is not installed.
 * Rules are `shellcheck/SC<code>`; error → error, warning → warning, info and style → info.
 */
export async function spawnShellcheck(steps: Step[], options: { exclude?: string[] } = {}): Promise<Diagnostic[]> {
  if (steps.length === 0 || !hasShellcheck()) return [];
  const starts: Array<{ from: number; step: Step }> = [];
  const parts: string[] = [];
  let at = 1;
  for (const step of steps) {
    starts.push({ from: at, step });
    parts.push(step.command);
    at += step.command.split('\n').length;
  }
  const script = parts.join('\n') + '\n';
  const exclude = (options.exclude ?? SHELLCHECK_EXCLUDES).join(',');
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn('shellcheck', ['--shell=bash', '--format=json1', `--exclude=${exclude}`, '-'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', () => resolve(out));
    child.stdin.on('error', () => {});
    child.stdin.end(script);
  });
  let parsed: Json1;
  try {
    parsed = JSON.parse(stdout) as Json1;
  } catch {
    return [];
  }
  const levels: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'info' };
  return parsed.comments.map((c) => {
    let owner = starts[0]!;
    for (const s of starts) if (s.from <= c.line) owner = s;
    return {
      line: owner.step.line + (c.line - owner.from),
      column: c.column,
      rule: `shellcheck/SC${c.code}`,
      severity: levels[c.level] ?? 'info',
      message: `SC${c.code}: ${c.message}`,
    };
  });
}
