import type { RunReport } from './run-events.ts';

function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function firstLine(command: string): string {
  const first = command.split('\n')[0]!.replace(/\s*\\$/, '');
  return command.includes('\n') ? `${first} …` : first;
}

/**
 * The report as standard JUnit XML (the Ant/Surefire schema CI systems render): one `testsuite` per
 * chapter and variant, one `testcase` per included step, named after its line and first command line as
 * the chapter writes it (placeholders unfilled, so names stay the same from run to run).
 * Failed steps carry a `failure` with the reason and the diff; skipped and interrupted steps are `skipped`.
 */
export function toJunit(report: RunReport): string {
  const suite = `${report.chapter.file} [${report.variant.name}]`;
  const classname = `${report.chapter.file.replace(/\.[^.]+$/, '').replace(/[/\\]/g, '.')}.${report.variant.name}`;
  const s = report.summary;
  const cases = report.steps.map((step) => {
    const attrs = `name="${xml(`L${step.line} ${firstLine(step.source ?? step.command)}`)}" classname="${xml(classname)}" file="${xml(report.chapter.file)}" line="${step.line}" time="${(step.durationMs / 1000).toFixed(3)}"`;
    const body: string[] = [];
    if (step.status === 'failed') {
      const text = [step.reason ?? 'failed', step.expect && !step.expect.matched ? `expected output (line ${step.expect.line}):\n${step.expect.diff}` : ''].filter(Boolean).join('\n');
      body.push(`      <failure message="${xml(step.reason ?? 'failed')}" type="${step.expect && !step.expect.matched ? 'output-mismatch' : 'step-failed'}">${xml(text)}</failure>`);
    } else if (step.status === 'skipped' || step.status === 'interrupted') {
      body.push(`      <skipped message="${xml(step.reason ?? step.status)}"/>`);
    }
    if (step.output) body.push(`      <system-out>${xml(step.output)}</system-out>`);
    return body.length === 0 ? `    <testcase ${attrs}/>` : `    <testcase ${attrs}>\n${body.join('\n')}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bookrun" tests="${report.steps.length}" failures="${s.failed}" errors="0" skipped="${s.skipped + s.interrupted}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(suite)}" tests="${report.steps.length}" failures="${s.failed}" errors="0" skipped="${s.skipped + s.interrupted}" time="${(report.durationMs / 1000).toFixed(3)}" timestamp="${xml(report.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
