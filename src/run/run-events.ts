/**
 * What `bookrun run` reports: the step results and the report (the JSON contract `--report` writes and
 * `bookrun status` reads), and the events of a run as a tagged union, one formatter per kind.
 */

import type { RunReport as ReportContract } from '../core/status-model.ts';

/** How one step ended. `interrupted`: a background terminal's step stopped when the first terminal finished. */
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'interrupted';

/** One included step in the report (the contract: fields may be added, never removed). */
export interface StepReport {
  id: string;
  line: number;
  terminal: number;
  /** The command as it ran: placeholders filled. */
  command: string;
  /** The command as the chapter writes it (`VERSION=[...]`): stable from run to run, for test names. */
  source: string;
  status: StepStatus;
  /** The status bash reported for the last attempt; null when the step did not run or had no status. */
  exitCode: number | null;
  /** How many times it ran (retry-while and eventual steps run more than once); 0 when it did not run. */
  attempts: number;
  durationMs: number;
  /** Plain output of the last attempt (the tail when long). */
  output: string;
  /** The expected-output check of the last attempt; null when the chapter shows no output for the step. */
  expect: { matched: boolean; diff: string; line: number } | null;
  /** Why it failed, was skipped or interrupted, in a few words. */
  reason: string | null;
  /** How it ended when it did not simply exit: a watch stopped by its pattern, a timeout. */
  ended: 'exited' | 'until' | 'watch-timeout' | 'timeout' | 'interrupted' | null;
}

/** The JSON report (`version: 1`): the contract `bookrun status` reads, plus what the runner adds. */
export interface RunReport extends Omit<ReportContract, 'steps'> {
  /** Placeholder values the run used (`--set`, `--values`, environment, captures). */
  placeholders: Record<string, string>;
  /** `--from`/`--to`, when the run was limited. */
  range: { from: number | null; to: number | null };
  summary: Record<StepStatus, number>;
  steps: StepReport[];
}

/** Events of a run, in the order they happen. */
export type RunEvent =
  | { kind: 'run-started'; chapter: RunReport['chapter']; variant: RunReport['variant']; steps: number; startedAt: string }
  | { kind: 'step-started'; id: string; line: number; terminal: number; command: string; background: boolean }
  | { kind: 'step-attempt'; id: string; line: number; attempt: number; delayMs: number; why: string }
  | { kind: 'step-finished'; step: StepReport }
  | { kind: 'note'; message: string }
  | { kind: 'run-finished'; report: RunReport };
