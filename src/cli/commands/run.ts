import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listVariants, resolveVariant } from '../../core/book-config.ts';
import { checkPlaceholders } from '../../core/check-placeholders.ts';
import { checkValueSources, type SourcedValue } from '../../core/check-value-sources.ts';
import { fillPlaceholders } from '../../core/fill-placeholders.ts';
import { planRecord, type StepRecording } from '../../core/plan-record.ts';
import type { PromptAnswer } from '../../core/to-answer.ts';
import { toChapterPatch } from '../../core/to-chapter-patch.ts';
import { toMasked } from '../../core/to-masked.ts';
import { toRecordedChapter } from '../../core/to-recorded-chapter.ts';
import { parseDuration } from '../../core/parse-annotations.ts';
import { planChapter } from '../../core/plan-chapter.ts';
import type { Plan } from '../../core/model.ts';
import { createWriteGuard } from '../../book/create-write-guard.ts';
import { OutputRefusedError } from '../../book/output-refused-error.ts';
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

const USAGE = `usage: bookrun run FILE --variant NAME [--set NAME=VALUE …] [--secret NAME[=VALUE] …] [--values FILE]
                   [--cwd DIR] [--from LINE] [--to LINE] [--watch-timeout 60s] [--step-timeout 10m] [--wait-timeout 10m]
                   [--keep-going] [--no-teardown] [--report FILE.json] [--junit FILE.xml] [--no-save-report]
                   [--update-expected [--write] [--add-missing]] [--dry-run] [--config FILE]`;

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
      secret: { type: 'string', multiple: true, default: [] },
      values: { type: 'string' },
      cwd: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'watch-timeout': { type: 'string' },
      'step-timeout': { type: 'string' },
      'wait-timeout': { type: 'string' },
      'keep-going': { type: 'boolean', default: false },
      'no-teardown': { type: 'boolean', default: false },
      'update-expected': { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
      'add-missing': { type: 'boolean', default: false },
      report: { type: 'string' },
      junit: { type: 'string' },
      'no-save-report': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`expected one chapter file\n${USAGE}`);
  const file = positionals[0]!;
  const watchTimeoutMs = duration('watch-timeout', flags['watch-timeout'], 60_000);
  const stepTimeoutMs = duration('step-timeout', flags['step-timeout'], 600_000);
  const waitTimeoutMs = duration('wait-timeout', flags['wait-timeout'], 600_000);
  const from = lineNumber('from', flags.from);
  const to = lineNumber('to', flags.to);
  if (from !== null && to !== null && to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
  const record = flags['update-expected'];
  if (!record && (flags.write || flags['add-missing'])) throw new UsageError(`--${flags.write ? 'write' : 'add-missing'} goes with --update-expected (record mode)\n${USAGE}`);
  if (record && flags['dry-run']) throw new UsageError('--update-expected records what the commands print: it cannot go with --dry-run');
  const cwd = path.resolve(flags.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UsageError(`--cwd ${flags.cwd}: no such folder`);

  // The book is the chapter's own (found from its folder upwards), as for bookrun plan.
  const { book, chapter, key, sha256, file: chapterPath, text: chapterText } = await openChapter({ file, config: flags.config });
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
  // Secrets: values like the others (after --set, before the environment), `***` in everything bookrun writes.
  const secrets: Record<string, string> = {};
  const secretEnv: Record<string, string> = {};
  for (const spec of flags.secret ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(spec);
    if (!m) throw new UsageError(`--secret ${spec.replace(/=.*/s, '=…')}: expected NAME (its value from the environment variable NAME) or NAME=VALUE`);
    const name = m[1]!;
    const value = m[2] ?? process.env[name];
    if (value === undefined || value === '') {
      throw new UsageError(`--secret ${name}: the environment has no ${name}: export ${name} first (so its value never shows in a process list), or pass --secret ${name}=VALUE`);
    }
    secrets[name] = value;
    if (m[2] !== undefined) secretEnv[name] = value;
    sourced.push({ name, value, from: `--secret ${name}` });
  }
  let fromFile: Record<string, string> = {};
  let answers: PromptAnswer[] = [];
  if (flags.values) {
    const valuesFile = await readValuesFile(path.resolve(flags.values), variant.name, known, flags.values);
    fromFile = valuesFile.values;
    answers = valuesFile.answers;
    sourced.push(...valuesFile.sources);
    for (const [name, value] of Object.entries(valuesFile.secrets)) {
      if (name in secrets) continue;
      secrets[name] = value;
      secretEnv[name] = value;
    }
  }
  // The variables bookrun.yaml's ci.secrets names are secrets wherever they are set (CI puts them in the environment).
  for (const name of Object.keys(book.config.ci.secrets)) {
    const value = process.env[name];
    if (value && !(name in secrets)) secrets[name] = value;
  }
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length < 4) process.stderr.write(`bookrun run: warning: the secret ${name} is shorter than 4 characters: every occurrence of its text in the output is masked as *** too\n`);
  }
  const explicit = { ...fromFile, ...secretEnv, ...set };

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
    let savedSecrets: string[] = [];
    try {
      const meta = JSON.parse(await readFile(path.join(stateDir, 'meta.json'), 'utf8')) as { captures?: Record<string, string>; secrets?: unknown };
      restored = meta.captures ?? {};
      savedSecrets = Array.isArray(meta.secrets) ? meta.secrets.filter((n): n is string => typeof n === 'string') : [];
    } catch {
      restored = {};
    }
    const meta = path.relative(process.cwd(), path.join(stateDir, 'meta.json'));
    for (const [name, value] of Object.entries(restored)) sourced.push({ name, value: String(value), from: `${meta} (saved capture ${name})` });
    // Secrets are never saved: a resumed run asks for each one the saved run had.
    for (const name of savedSecrets) {
      if (!(name in secrets)) problems.push(`${meta}: the run that saved this state had the secret ${name}, and secrets are never saved: give it again with --secret ${name} (from the environment) or --secret ${name}=VALUE`);
    }
  }
  problems.push(...checkValueSources(sourced));
  for (const p of checkPlaceholders(plan, { values: { ...envValues, ...explicit }, runs, restored })) {
    problems.push(`${file}:${p.line}: ${p.message}`);
  }
  if (problems.length > 0) {
    throw new UsageError(`${file}: nothing was run:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }

  const secretValues = Object.values(secrets);
  if (flags['dry-run']) {
    process.stdout.write(toMasked(formatDryRun(plan, file, explicit, envValues, range), secretValues));
    return 0;
  }

  // State and saved reports live in bookrun's own .bookrun/ (unless reportsDir says otherwise): private.
  const state = await guard.openFolder(stateDir, { flag: 'the chapters out of .bookrun/ (bookrun\'s own folder), or', private: true });
  const savedReports = flags['no-save-report']
    ? null
    : await guard.openFolder(path.join(book.root, book.config.reportsDir, stem, variant.name), { flag: 'reportsDir in bookrun.yaml', private: true });

  // Record mode prints the diff on stdout: progress goes to stderr then.
  const progress = record ? process.stderr : process.stdout;
  const tty = Boolean(progress.isTTY);
  const print = createPrinter(progress, tty, tty && !process.env.NO_COLOR);
  const controller = new AbortController();
  const teardownController = new AbortController();
  const teardownAhead = !flags['no-teardown'] && plan.steps.some((st) => st.teardown && runs(st));
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write(`\nbookrun run: ${signal}: interrupting the running commands${teardownAhead ? '; the teardown steps still run (ctrl+c again to skip them)' : ' and ending every shell'}…\n`);
      controller.abort();
    } else if (interrupts === 2 && teardownAhead) {
      process.stderr.write(`bookrun run: ${signal}: interrupting the teardown too: what the chapter created may still be there…\n`);
      teardownController.abort();
    } else {
      process.stderr.write('bookrun run: still ending the shells (their process groups get SIGHUP, SIGTERM, then SIGKILL)…\n');
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  const recordings: StepRecording[] = [];
  let report: RunReport;
  try {
    report = await runChapter({
      plan,
      chapter: { title: chapter.title, file: key, sha256 },
      cwd,
      values: explicit,
      envValues,
      // --secret NAME=VALUE and the values file's secrets reach the shells' environment too, as any value would.
      env: { ...process.env, ...secretEnv },
      secrets,
      answers,
      teardown: !flags['no-teardown'],
      goOnAfterOutput: record,
      teardownSignal: teardownController.signal,
      onStepOutput: record ? (step, output, r) => recordings.push({ step, output, status: r.status, matched: r.expect ? r.expect.matched : null, ended: r.ended }) : undefined,
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
  if (written.length > 0) progress.write(`report: ${written.join(', ')}\n`);
  const exit = controller.signal.aborted ? 130 : report.status === 'passed' ? 0 : 1;
  if (!record) return exit;
  return recordOutputs({ guard, chapter, chapterPath, chapterText, sha256, recordings, secrets: secretValues, write: flags.write, addMissing: flags['add-missing'], exit });
}

/**
 * Record mode, after the run: prints the unified diff (`git apply` takes it) of the chapter with every
 * expected output that did not match replaced by what its command printed (keeping what the matcher aligned as
 * the author wrote it), and with `--write` applies it through the write guard, which checks the chapter is
 * unchanged since the run began. The exit code stays the run's (at least 1 when the write was refused).
 */
async function recordOutputs(options: {
  guard: ReturnType<typeof createWriteGuard>;
  chapter: Parameters<typeof planRecord>[0];
  chapterPath: string;
  chapterText: string;
  sha256: string;
  recordings: StepRecording[];
  secrets: string[];
  write: boolean;
  addMissing: boolean;
  exit: number;
}): Promise<number> {
  const { chapterPath, chapterText } = options;
  // Secrets never reach a chapter either: a step that printed one is not recorded.
  const recordings = options.recordings.filter((r) => {
    const holds = options.secrets.some((s) => r.output.includes(s));
    if (holds) process.stderr.write(`bookrun run: line ${r.step.line}: its output holds a secret: not recorded\n`);
    return !holds;
  });
  const plan = planRecord(options.chapter, recordings, { addMissing: options.addMissing });
  const shown = path.relative(process.cwd(), chapterPath).split(path.sep).join('/') || path.basename(chapterPath);
  for (const note of plan.notes) process.stderr.write(`bookrun run: ${shown}:${note.replace(/^line /, '')}\n`);
  const after = toRecordedChapter(chapterText, plan.edits);
  const patch = toChapterPatch(shown, chapterText, after);
  if (!patch) {
    process.stderr.write(`bookrun run: --update-expected: every expected output matched${options.addMissing ? ' and no step needs an output fence' : ''}: nothing to record\n`);
    return options.exit;
  }
  process.stdout.write(patch);
  const lines = plan.recorded.map((l) => `${l}`).join(', ');
  if (!options.write) {
    process.stderr.write(`bookrun run: recorded the output of line${plan.recorded.length === 1 ? '' : 's'} ${lines} (the diff above; apply it with git apply, or run again with --write)\n`);
    return options.exit;
  }
  try {
    await options.guard.replaceChapter(chapterPath, { sha256: options.sha256, text: after, flag: '--update-expected --write' });
  } catch (error) {
    if (!(error instanceof OutputRefusedError)) throw error;
    process.stderr.write(`bookrun run: ${error.message}\n`);
    return Math.max(options.exit, 1);
  }
  process.stderr.write(`bookrun run: wrote ${shown}: the output of line${plan.recorded.length === 1 ? '' : 's'} ${lines} recorded\n`);
  return options.exit;
}

/**
 * Human progress: on a TTY the running step's line shows its elapsed time and is rewritten with its
 * verdict; elsewhere (CI logs) one plain line per finished step.
 */
function createPrinter(out: NodeJS.WriteStream, tty: boolean, color: boolean): (event: RunEvent) => void {
  let pending: { id: string; text: string; started: number; attempt: string } | null = null;
  const ticker = tty
    ? setInterval(() => {
        if (pending) out.write(`\r\x1b[2K${pending.text} ${formatDuration(Date.now() - pending.started)}${pending.attempt}`);
      }, 1000)
    : null;
  ticker?.unref();
  return (event) => {
    const text = formatRunEvent(event, { color });
    if (!tty) {
      if (event.kind === 'step-started' && !event.background) return;
      // An eventual step may try every half second for minutes: a CI log gets attempts 2, 3, 4, 8, 16, 32…
      if (event.kind === 'step-attempt' && event.attempt > 4 && (event.attempt & (event.attempt - 1)) !== 0) return;
      out.write(`${text}\n`);
      return;
    }
    if (event.kind === 'step-attempt' && pending?.id === event.id) {
      // On a terminal the running step's line says which attempt it is at, instead of a line per attempt.
      pending.attempt = color ? `\x1b[2m, attempt ${event.attempt}: ${event.why}\x1b[0m` : `, attempt ${event.attempt}: ${event.why}`;
      out.write(`\r\x1b[2K${pending.text} ${formatDuration(Date.now() - pending.started)}${pending.attempt}`);
      return;
    }
    if (pending) out.write('\r\x1b[2K');
    if (event.kind === 'step-started' && !event.background) {
      pending = { id: event.id, text, started: Date.now(), attempt: '' };
      out.write(text);
      return;
    }
    out.write(`${text}\n`);
    if (pending && event.kind === 'step-finished' && event.step.id === pending.id) pending = null;
    if (pending) out.write(pending.text);
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
