import type { RunEvent, StepReport, StepStatus } from './run-events.ts';

/** How human output looks: colours and symbols on a TTY, plain words elsewhere (CI logs). */
export interface HumanFormat {
  color: boolean;
  /** Lines of a failed step's output to show. */
  outputLines?: number;
}

type Formatters = { [K in RunEvent['kind']]: (event: Extract<RunEvent, { kind: K }>, f: HumanFormat) => string };

const paint = (f: HumanFormat, code: string, text: string) => (f.color ? `\x1b[${code}m${text}\x1b[0m` : text);

const SYMBOL: Record<StepStatus, { tty: string; plain: string; code: string }> = {
  passed: { tty: '✓', plain: 'PASS', code: '32' },
  failed: { tty: '✗', plain: 'FAIL', code: '31' },
  skipped: { tty: '-', plain: 'SKIP', code: '2' },
  interrupted: { tty: '■', plain: 'STOP', code: '33' },
};

/** `850ms`, `12.3s`, `2m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function firstLine(command: string, width = 60): string {
  const lines = command.split('\n');
  const first = lines[0]!.replace(/\s*\\$/, '');
  const text = lines.length > 1 ? `${first} …` : first;
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function where(step: { line: number; terminal: number }): string {
  return `L${step.line}${step.terminal > 1 ? ` [t${step.terminal}]` : ''}`;
}

function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

function details(step: StepReport, f: HumanFormat): string {
  if (step.status !== 'failed') return '';
  const out: string[] = [];
  if (step.reason) out.push(indent(paint(f, '31', step.reason)));
  if (step.expect && !step.expect.matched && step.expect.diff) {
    out.push(indent(`expected output (line ${step.expect.line}) does not match:`));
    const diff = step.expect.diff
      .split('\n')
      .map((l) => (l.startsWith('-') && !l.startsWith('---') ? paint(f, '31', l) : l.startsWith('+') && !l.startsWith('+++') ? paint(f, '32', l) : l))
      .join('\n');
    out.push(indent(diff, '      '));
  } else if (step.output.trim()) {
    const lines = step.output.replace(/\n+$/, '').split('\n');
    const n = f.outputLines ?? 20;
    out.push(indent(`output${lines.length > n ? ` (last ${n} of ${lines.length} lines)` : ''}:`));
    out.push(indent(lines.slice(-n).join('\n'), '      '));
  }
  return out.length > 0 ? `\n${out.join('\n')}` : '';
}

const formatters: Formatters = {
  'run-started': (e, f) =>
    `${paint(f, '1', e.chapter.title || e.chapter.file)} — variant ${e.variant.name} — ${e.steps} step${e.steps === 1 ? '' : 's'}`,
  'step-started': (e, f) => `${paint(f, '2', '…')} ${where(e)} ${firstLine(e.command)}${e.background ? paint(f, '2', ' (in the background)') : ''}`,
  'step-attempt': (e, f) => paint(f, '2', `  ↻ L${e.line} attempt ${e.attempt} in ${formatDuration(e.delayMs)}: ${e.why}`),
  'step-finished': ({ step }, f) => {
    const s = SYMBOL[step.status];
    const mark = paint(f, s.code, f.color ? s.tty : s.plain);
    const extra: string[] = [];
    if (step.attempts > 1) extra.push(`${step.attempts} attempts`);
    if (step.ended === 'until') extra.push('stopped at its pattern');
    if (step.ended === 'expect') extra.push('stopped once its output matched');
    if (step.ended === 'watch-timeout') extra.push('stopped at --watch-timeout');
    if (step.status !== 'failed' && step.reason && step.status !== 'passed') extra.push(step.reason);
    const tail = [step.attempts > 0 ? formatDuration(step.durationMs) : '', ...extra].filter(Boolean).join(', ');
    return `${mark} ${where(step)} ${firstLine(step.command)}${tail ? paint(f, '2', ` (${tail})`) : ''}${details(step, f)}`;
  },
  note: (e, f) => paint(f, '33', `! ${e.message}`),
  'teardown-started': (e, f) =>
    paint(
      f,
      e.kept ? '33' : '1',
      e.kept
        ? `── teardown: ${e.steps} step${e.steps === 1 ? '' : 's'} not run (--no-teardown): what the chapter created is still there`
        : `── teardown: ${e.steps} step${e.steps === 1 ? '' : 's'}${e.afterFailure ? ', run after the failure so nothing is left behind' : ''}`,
    ),
  'run-finished': ({ report }, f) => {
    const s = report.summary;
    const parts = [`${s.passed} passed`, s.failed ? paint(f, '31', `${s.failed} failed`) : '0 failed', `${s.skipped} skipped`];
    if (s.interrupted) parts.push(`${s.interrupted} interrupted`);
    const verdict = report.status === 'passed' ? paint(f, '32', 'PASSED') : paint(f, '31', 'FAILED');
    const failed = report.steps.filter((st) => st.status === 'failed').map((st) => `  ${report.chapter.file}:${st.line}${st.teardown ? ' (teardown)' : ''} ${st.reason ?? ''}`);
    const t = report.teardown;
    const teardown =
      t && t.steps > 0
        ? t.kept
          ? `; teardown not run (--no-teardown)`
          : `; teardown: ${t.summary.passed} passed${t.summary.failed ? `, ${paint(f, '31', `${t.summary.failed} failed`)}` : ''}${t.summary.skipped ? `, ${t.summary.skipped} skipped` : ''}`
        : '';
    return [`\n${verdict} ${parts.join(', ')} in ${formatDuration(report.durationMs)}${teardown}`, ...failed].join('\n');
  },
};

/** One event as human text (no trailing newline); the compiler makes sure every kind has a formatter. */
export function formatRunEvent(event: RunEvent, format: HumanFormat): string {
  return (formatters[event.kind] as (e: RunEvent, f: HumanFormat) => string)(event, format);
}
