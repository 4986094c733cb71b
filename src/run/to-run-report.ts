import type { Plan } from '../core/model.ts';
import type { RunReport, StepReport, StepStatus } from './run-events.ts';

/** What {@link toRunReport} assembles the report from. */
export interface RunOutcome {
  plan: Plan;
  chapter: RunReport['chapter'];
  /** The reports of the steps that got one, by step id. */
  reports: ReadonlyMap<string, StepReport>;
  /** Why steps without a report did not run. */
  stopped: string | null;
  aborted: boolean;
  teardownEnabled: boolean;
  startedAt: Date;
  durationMs: number;
  range: RunReport['range'];
  /** Every placeholder's value the run used (secrets already `***`). */
  placeholders: Record<string, string>;
  secrets: string[];
}

const emptySummary = (): Record<StepStatus, number> => ({ passed: 0, failed: 0, skipped: 0, interrupted: 0 });

/**
 * The run report (the JSON contract of docs/reference/run.md) from what a run did: every included step in plan
 * order (a step that never got a report is skipped, saying why), the summary of all steps and, apart, of the
 * teardown steps. Pure.
 */
export function toRunReport(outcome: RunOutcome): RunReport {
  const steps = outcome.plan.steps.filter((s) => s.included);
  const ordered = steps.map(
    (s): StepReport =>
      outcome.reports.get(s.id) ?? { id: s.id, line: s.line, terminal: s.terminal, command: s.command, source: s.command, status: 'skipped', exitCode: null, attempts: 0, durationMs: 0, output: '', expect: null, reason: outcome.stopped ?? 'not run', ended: null, teardown: s.teardown },
  );
  const summary = emptySummary();
  const teardownSummary = emptySummary();
  for (const r of ordered) {
    summary[r.status] += 1;
    if (r.teardown) teardownSummary[r.status] += 1;
  }
  const teardownSteps = ordered.filter((r) => r.teardown);
  const first = teardownSteps[0];
  return {
    version: 1,
    chapter: outcome.chapter,
    variant: { name: outcome.plan.variant.name, values: outcome.plan.variant.values },
    status: summary.failed > 0 || outcome.aborted ? 'failed' : 'passed',
    startedAt: outcome.startedAt.toISOString(),
    durationMs: outcome.durationMs,
    placeholders: outcome.placeholders,
    range: outcome.range,
    summary,
    teardown: {
      steps: teardownSteps.length,
      summary: teardownSummary,
      afterFailure: first ? outcome.aborted || ordered.some((r) => !r.teardown && r.line < first.line && (r.status === 'failed' || r.status === 'interrupted')) : false,
      kept: !outcome.teardownEnabled && teardownSteps.length > 0,
    },
    secrets: outcome.secrets,
    steps: ordered,
  };
}
