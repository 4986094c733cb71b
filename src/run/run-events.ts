/**
 * What `bookrun run` reports: the step results and the report (the JSON contract `--report` writes and
 * `bookrun status` reads), and the events of a run as a tagged union, one formatter per kind.
 */

import type { StepEnded } from '../core/check-attempt.ts';
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
  /**
   * How it ended: `exited`, a watch stopped at its `until` pattern (`until`) or once its output matched the
   * expected output (`expect`), at `--watch-timeout`, at a step timeout, or `interrupted`; null when it did not run.
   */
  ended: StepEnded | null;
  /** The step belongs to the chapter's teardown (it runs after a failure too; see `run.teardownSections`). */
  teardown: boolean;
}

/** The teardown part of a run, reported apart. */
export interface TeardownReport {
  /** Teardown steps included for the variant. */
  steps: number;
  summary: Record<StepStatus, number>;
  /** It ran after a failure (or ctrl+c) of the steps before it. */
  afterFailure: boolean;
  /** `--no-teardown`: its steps were not run, so what the chapter created is still there. */
  kept: boolean;
}

/** The JSON report (`version: 1`): the contract `bookrun status` reads, plus what the runner adds. */
export interface RunReport extends Omit<ReportContract, 'steps'> {
  /** Placeholder values the run used (`--set`, `--values`, environment, captures). */
  placeholders: Record<string, string>;
  /** `--from`/`--to`, when the run was limited. */
  range: { from: number | null; to: number | null };
  /** Every step's status, teardown steps included. */
  summary: Record<StepStatus, number>;
  /** The teardown steps on their own. */
  teardown: TeardownReport;
  /** Names of the secrets the run was given (their values are `***` everywhere in the report). */
  secrets: string[];
  steps: StepReport[];
}

/** Events of a run, in the order they happen. */
export type RunEvent =
  | { kind: 'run-started'; chapter: RunReport['chapter']; variant: RunReport['variant']; steps: number; startedAt: string }
  | { kind: 'step-started'; id: string; line: number; terminal: number; command: string; background: boolean }
  | { kind: 'step-attempt'; id: string; line: number; attempt: number; delayMs: number; why: string }
  | { kind: 'step-finished'; step: StepReport }
  | { kind: 'note'; message: string }
  /** The first teardown step is about to run (after a failure too), or was left out (`--no-teardown`). */
  | { kind: 'teardown-started'; steps: number; afterFailure: boolean; kept: boolean }
  | { kind: 'run-finished'; report: RunReport };
