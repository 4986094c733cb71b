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
 * Teardown steps make a second suite, `FILE [variant] teardown`.
 */
export function toJunit(report: RunReport): string {
  const suite = `${report.chapter.file} [${report.variant.name}]`;
  const classname = `${report.chapter.file.replace(/\.[^.]+$/, '').replace(/[/\\]/g, '.')}.${report.variant.name}`;
  const s = report.summary;
  const toCase = (step: RunReport['steps'][number]) => {
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
  };
  // The teardown steps are a suite of their own: reported apart, as in the summary.
  const parts = [
    { name: suite, steps: report.steps.filter((st) => !st.teardown) },
    { name: `${suite} teardown`, steps: report.steps.filter((st) => st.teardown) },
  ].filter((part, i) => i === 0 || part.steps.length > 0);
  const suites = parts.flatMap(({ name, steps }) => {
    const failed = steps.filter((st) => st.status === 'failed').length;
    const skipped = steps.filter((st) => st.status === 'skipped' || st.status === 'interrupted').length;
    const time = steps.reduce((t, st) => t + st.durationMs, 0);
    return [
      `  <testsuite name="${xml(name)}" tests="${steps.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${(time / 1000).toFixed(3)}" timestamp="${xml(report.startedAt)}">`,
      ...steps.map(toCase),
      '  </testsuite>',
    ];
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bookrun" tests="${report.steps.length}" failures="${s.failed}" errors="0" skipped="${s.skipped + s.interrupted}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
