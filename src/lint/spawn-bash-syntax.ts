import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import type { Diagnostic, Step } from '../core/model.ts';

/** What `bash -n` said of one script: whether it parses, and its complaint. A failure is a value, never a throw. */
export interface BashSyntax {
  ok: boolean;
  stderr: string;
}

/**
 * The one bash that checks every script it is given, each with its own `bash -n` (a fork of bash, not a
 * process of ours per command: one zx process per chapter). It prints, per script, its index, its exit
 * status and bash's complaint, separated by NUL bytes.
 */
const CHECK_EACH = 'i=0; for f in "$@"; do err=$(bash -n -- "$f" 2>&1); printf \'%s\\0%s\\0%s\\0\' "$i" "$?" "$err"; i=$((i+1)); done';

/**
 * Runs `bash -n` on each script, one at a time in one bash process, from files in a temporary folder
 * (removed after). A failure is a value: `ok: false` with bash's complaint, never a throw.
 */
export async function spawnBashChecks(scripts: string[]): Promise<BashSyntax[]> {
  if (scripts.length === 0) return [];
  const dir = await mkdtemp(path.join(tmpdir(), 'bookrun-bash-n-'));
  try {
    const files = await Promise.all(
      scripts.map(async (script, i) => {
        const file = path.join(dir, `${i}.sh`);
        await writeFile(file, script.endsWith('\n') ? script : `${script}\n`);
        return file;
      }),
    );
    const result = await $({ nothrow: true, quiet: true, verbose: false })`bash -c ${CHECK_EACH} bash ${files}`;
    const fields = result.stdout.split('\0');
    const out: BashSyntax[] = scripts.map(() => ({ ok: false, stderr: `bash -n did not check it (${result.stderr.trim() || `exit ${result.exitCode}`})` }));
    for (let k = 0; k + 2 < fields.length; k += 3) {
      const i = Number(fields[k]);
      if (Number.isInteger(i) && i >= 0 && i < out.length) out[i] = { ok: fields[k + 1] === '0', stderr: fields[k + 2]!.replace(new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\d+\\.sh`, 'g'), 'bash') };
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Checks every step's command with `bash -n`, each on its own (a syntax error in one command must not hide
 * the others, nor may a quote left open in one swallow the next), all in one bash process.
 * Each error is reported at the chapter line bash names, as rule `shell-syntax`.
 */
export async function spawnBashSyntax(steps: Step[]): Promise<Diagnostic[]> {
  const results = await spawnBashChecks(steps.map((s) => s.command));
  const found: Diagnostic[] = [];
  results.forEach((result, i) => {
    if (result.ok) return;
    const step = steps[i] as Step;
    const first = result.stderr.split('\n').find((l) => l.trim() !== '') ?? 'syntax error';
    const where = /line (\d+):\s*(.*)$/.exec(first);
    const offset = where ? Number(where[1]) - 1 : 0;
    const message = (where ? where[2] : first.replace(/^bash:\s*/, '')) ?? first;
    found.push({
      line: Math.min(step.line + offset, step.endLine),
      column: 1,
      rule: 'shell-syntax',
      severity: 'error',
      message: `bash -n: ${message.trim()} (in the command at line ${step.line})`,
    });
  });
  return found;
}
