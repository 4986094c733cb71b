import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listVariants, resolveVariant } from '../../core/book-config.ts';
import { checkPlaceholders } from '../../core/check-placeholders.ts';
import { checkValueSources, type SourcedValue } from '../../core/check-value-sources.ts';
import { fillPlaceholders } from '../../core/fill-placeholders.ts';
import { parseDuration } from '../../core/parse-annotations.ts';
import { planChapter } from '../../core/plan-chapter.ts';
import type { Plan } from '../../core/model.ts';
import { createWriteGuard } from '../../book/create-write-guard.ts';
import { BOOKRUN_DIR } from '../../book/ensure-bookrun-folder.ts';
import { openChapter } from '../../book/open-chapter.ts';
import { formatDuration, formatRunEvent } from '../../run/format-run-event.ts';
import { readValuesFile } from '../../run/read-values-file.ts';
import { runChapter } from '../../run/run-chapter.ts';
import { stepSkipReason } from '../../run/step-skip-reason.ts';
import type { RunEvent, RunReport } from '../../run/run-events.ts';
import { toJunit } from '../../run/to-junit.ts';
import { UsageError } from '../errors.ts';
import { formatDiagnostic } from '../format-diagnostic.ts';
import { parseFlags } from '../parse-flags.ts';

const USAGE = `usage: bookrun run FILE --variant NAME [--set NAME=VALUE …] [--values FILE] [--cwd DIR]
                   [--from LINE] [--to LINE] [--watch-timeout 60s] [--step-timeout 10m] [--wait-timeout 10m]
                   [--keep-going] [--report FILE.json] [--junit FILE.xml] [--no-save-report] [--dry-run] [--config FILE]`;

function duration(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === null || ms <= 0) throw new UsageError(`--${flag} ${value}: expected a duration such as 30s, 10m, 1h, 500ms`);
  return ms;
}

function lineNumber(flag: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${flag} ${value}: expected a line number of the chapter (see bookrun plan)`);
  return Number(value);
}

/** `bookrun run`: runs a chapter for one variant in real shells and checks every expected output. */
export default async function run(args: string[]): Promise<number> {
  const { values: flags, positionals } = parseFlags(
    args,
    {
      variant: { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      values: { type: 'string' },
      cwd: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'watch-timeout': { type: 'string' },
      'step-timeout': { type: 'string' },
      'wait-timeout': { type: 'string' },
      'keep-going': { type: 'boolean', default: false },
      report: { type: 'string' },
      junit: { type: 'string' },
      'no-save-report': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one chapter file\n${USAGE}`);
  const file = positionals[0]!;
  const watchTimeoutMs = duration('watch-timeout', flags['watch-timeout'], 60_000);
  const stepTimeoutMs = duration('step-timeout', flags['step-timeout'], 600_000);
  const waitTimeoutMs = duration('wait-timeout', flags['wait-timeout'], 600_000);
  const from = lineNumber('from', flags.from);
  const to = lineNumber('to', flags.to);
  if (from !== null && to !== null && to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
  const cwd = path.resolve(flags.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UsageError(`--cwd ${flags.cwd}: no such folder`);

  // The book is the chapter's own (found from its folder upwards), as for bookrun plan.
  const { book, chapter, key, sha256, file: chapterPath } = await openChapter({ file, config: flags.config });
  const known = listVariants(book.config).map((v) => v.name);
  if (!flags.variant) throw new UsageError(`--variant is required; known variants: ${known.join(', ')}\n${USAGE}`);
  const lookup = resolveVariant(book.config, flags.variant);
  if (!lookup.ok) throw new UsageError(lookup.message);
  const variant = lookup.variant;

  // Every value, wherever it comes from, is checked before anything runs (values are data).
  const sourced: SourcedValue[] = [];
  const set: Record<string, string> = {};
  for (const pair of flags.set ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!m) throw new UsageError(`--set ${pair}: expected NAME=VALUE`);
    set[m[1]!] = m[2]!;
    sourced.push({ name: m[1]!, value: m[2]!, from: `--set ${m[1]}` });
  }
  let fromFile: Record<string, string> = {};
  if (flags.values) {
    const valuesFile = await readValuesFile(path.resolve(flags.values), variant.name, known, flags.values);
    fromFile = valuesFile.values;
    sourced.push(...valuesFile.sources);
  }
  const explicit = { ...fromFile, ...set };

  // Reports go where a flag says (checked now: a run must never end in a stack trace) and, through the
  // write guard, never over the author's sources.
  const guard = createWriteGuard(book, { extraChapters: [chapterPath] });
  const reportFile = flags.report ? await guard.prepareNamedFile(flags.report, '--report') : null;
  const junitFile = flags.junit ? await guard.prepareNamedFile(flags.junit, '--junit') : null;

  const plan = planChapter(chapter, variant, book.config);
  if (plan.steps.length === 0) {
    throw new UsageError(
      `${file}:1: no commands to run: the chapter has no shell block (\`\`\`bash) with a command in it. Check the path; a chapter without commands still plans, lints and exports, but there is nothing to run`,
    );
  }
  const range = { from, to };
  const runs = (step: Plan['steps'][number]) => step.included && stepSkipReason(step, range) === null;

  // Nothing runs unless the whole plan can: broken annotations, unclosed fences, shell syntax errors in
  // steps that run, values that would act as keys, and placeholders nothing fills.
  const problems: string[] = [];
  const runLines = plan.steps.filter(runs).map((s) => [s.line, s.endLine] as const);
  for (const d of chapter.diagnostics) {
    if (d.severity !== 'error') continue;
    if (d.rule === 'shell-syntax' && !runLines.some(([a, b]) => d.line >= a - 1 && d.line <= b + 1)) continue;
    problems.push(formatDiagnostic(file, d));
  }
  const runnable = plan.steps.filter(runs);
  if (runnable.length === 0 && (from !== null || to !== null)) {
    const lines = plan.steps.filter((st) => st.included).map((st) => st.line);
    throw new UsageError(
      `${file}: no step runs${from !== null ? ` from line ${from}` : ''}${to !== null ? ` up to line ${to}` : ''} for variant ${variant.name}` +
        (lines.length > 0 ? ` (its steps are on lines ${lines[0]}–${lines[lines.length - 1]}: see bookrun plan ${file} --variant ${variant.name})` : ''),
    );
  }
  const names = new Set(plan.placeholders.map((p) => p.name));
  for (const name of Object.keys(set)) {
    if (!names.has(name)) {
      process.stderr.write(`bookrun run: warning: --set ${name}: ${file} has no placeholder ${name}=[...]${names.size > 0 ? ` (its placeholders: ${[...names].join(', ')})` : ''}\n`);
    }
  }
  const envValues: Record<string, string> = {};
  for (const p of plan.placeholders) {
    const value = process.env[p.name];
    if (value === undefined || value === '' || p.name in explicit || p.name in envValues) continue;
    envValues[p.name] = value;
    sourced.push({ name: p.name, value, from: `environment variable ${p.name}` });
  }
  const stem = path.basename(chapterPath).replace(/\.[^.]+$/, '');
  const stateDir = path.join(book.root, BOOKRUN_DIR, 'state', stem, variant.name);
  let restored: Record<string, string> = {};
  if (from !== null) {
    try {
      restored = (JSON.parse(await readFile(path.join(stateDir, 'meta.json'), 'utf8')) as { captures?: Record<string, string> }).captures ?? {};
    } catch {
      restored = {};
    }
    const meta = path.relative(process.cwd(), path.join(stateDir, 'meta.json'));
    for (const [name, value] of Object.entries(restored)) sourced.push({ name, value: String(value), from: `${meta} (saved capture ${name})` });
  }
  problems.push(...checkValueSources(sourced));
  for (const p of checkPlaceholders(plan, { values: { ...envValues, ...explicit }, runs, restored })) {
    problems.push(`${file}:${p.line}: ${p.message}`);
  }
  if (problems.length > 0) {
    throw new UsageError(`${file}: nothing was run:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }

  if (flags['dry-run']) {
    process.stdout.write(formatDryRun(plan, file, explicit, envValues, range));
    return 0;
  }

  // State and saved reports live in bookrun's own .bookrun/ (unless reportsDir says otherwise): private.
  const state = await guard.openFolder(stateDir, { flag: 'the chapters out of .bookrun/ (bookrun\'s own folder), or', private: true });
  const savedReports = flags['no-save-report']
    ? null
    : await guard.openFolder(path.join(book.root, book.config.reportsDir, stem, variant.name), { flag: 'reportsDir in bookrun.yaml', private: true });

  const tty = Boolean(process.stdout.isTTY);
  const print = createPrinter(tty, tty && !process.env.NO_COLOR);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write(`\nbookrun run: ${signal}: interrupting the running commands and ending every shell…\n`);
      controller.abort();
    } else {
      process.stderr.write('bookrun run: still ending the shells (their process groups get SIGHUP, SIGTERM, then SIGKILL)…\n');
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  let report: RunReport;
  try {
    report = await runChapter({
      plan,
      chapter: { title: chapter.title, file: key, sha256 },
      cwd,
      values: explicit,
      envValues,
      watchTimeoutMs,
      stepTimeoutMs,
      waitTimeoutMs,
      keepGoing: flags['keep-going'],
      from,
      to,
      state,
      signal: controller.signal,
      onEvent: print,
    });
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }

  const json = `${JSON.stringify(report, null, 2)}\n`;
  const written: string[] = [];
  if (savedReports) {
    const name = `${report.startedAt.replace(/:/g, '-')}.json`;
    await savedReports.write(name, json);
    written.push(path.relative(process.cwd(), path.join(savedReports.dir, name)));
  }
  if (reportFile) {
    await guard.writeNamedFile(reportFile, json, '--report');
    written.push(flags.report!);
  }
  if (junitFile) {
    await guard.writeNamedFile(junitFile, toJunit(report), '--junit');
    written.push(flags.junit!);
  }
  if (written.length > 0) process.stdout.write(`report: ${written.join(', ')}\n`);
  if (controller.signal.aborted) return 130;
  return report.status === 'passed' ? 0 : 1;
}

/**
 * Human progress: on a TTY the running step's line shows its elapsed time and is rewritten with its
 * verdict; elsewhere (CI logs) one plain line per finished step.
 */
function createPrinter(tty: boolean, color: boolean): (event: RunEvent) => void {
  let pending: { id: string; text: string; started: number } | null = null;
  const ticker = tty
    ? setInterval(() => {
        if (pending) process.stdout.write(`\r\x1b[2K${pending.text} ${formatDuration(Date.now() - pending.started)}`);
      }, 1000)
    : null;
  ticker?.unref();
  return (event) => {
    const text = formatRunEvent(event, { color });
    if (!tty) {
      if (event.kind === 'step-started' && !event.background) return;
      process.stdout.write(`${text}\n`);
      return;
    }
    if (pending) process.stdout.write('\r\x1b[2K');
    if (event.kind === 'step-started' && !event.background) {
      pending = { id: event.id, text, started: Date.now() };
      process.stdout.write(text);
      return;
    }
    process.stdout.write(`${text}\n`);
    if (pending && event.kind === 'step-finished' && event.step.id === pending.id) pending = null;
    if (pending) process.stdout.write(pending.text);
    if (event.kind === 'run-finished' && ticker) clearInterval(ticker);
  };
}

/** `--dry-run`: every step that would run, with its placeholders filled (captured ones named). */
function formatDryRun(plan: Plan, file: string, explicit: Record<string, string>, envValues: Record<string, string>, range: { from: number | null; to: number | null }): string {
  const captureLine = new Map<string, number>();
  const lines: string[] = [`# ${plan.chapter.title || file} — variant ${plan.variant.name} — dry run: nothing is executed`];
  for (const step of plan.steps) {
    if (!step.included) continue;
    const skip = stepSkipReason(step, range);
    const marks = [
      step.terminal !== 1 ? `terminal ${step.terminal}, in the background` : '',
      step.watch ? `watch${step.annotations.until ? ` until /${step.annotations.until}/` : ''}` : '',
      step.retryWhile ? `repeat while "${step.retryWhile}"` : '',
      step.eventually ? 'until the expected output matches' : '',
      step.expect ? `expects line ${step.expect.line}` : '',
    ].filter(Boolean);
    lines.push('', `# ${file}:${step.line}${marks.length ? ` (${marks.join('; ')})` : ''}${skip ? ` — not run: ${skip}` : ''}`);
    const filled = fillPlaceholders(step.command, step.placeholders, (name) =>
      captureLine.has(name) && explicit[name] === undefined ? { display: `<captured at line ${captureLine.get(name)}>` } : (explicit[name] ?? envValues[name]),
    );
    // Every value was checked before the dry run: a refusal here would be a bookrun bug, shown as it is.
    const command = filled.kind === 'filled' ? filled.command : `# not run: ${filled.message}`;
    lines.push(skip ? command.replace(/^/gm, '# ') : command);
    for (const name of Object.keys(step.annotations.capture ?? {})) if (!skip && !captureLine.has(name)) captureLine.set(name, step.line);
  }
  return `${lines.join('\n')}\n`;
}
