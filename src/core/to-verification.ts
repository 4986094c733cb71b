import type { ReportFile } from './status-model.ts';

/** What the run behind a verification printed for one step that shows an expected output. */
export interface StepEvidence {
  status: 'passed' | 'failed' | 'skipped' | 'interrupted';
  /** Whether the output matched the author's (null: the report does not say). */
  matched: boolean | null;
  /** The plain output of the run (its tail, at most `maxOutput` characters). */
  output: string;
}

/** The newest run of a chapter on one variant, as the book's pages show it. */
export interface VariantVerification {
  variant: string;
  /**
   * `verified`: it passed, for the chapter's current text; `failed`: it failed; `stale`: it ran an earlier text
   * of the chapter (whatever it found then, it says nothing of this one).
   */
  state: 'verified' | 'failed' | 'stale';
  /** When the run started (ISO 8601, as the report says). */
  startedAt: string;
  /** The report it came from (relative path). */
  report: string;
  /** Lines of the steps that failed. */
  failedLines: number[];
  /** By step id: the steps with an expected output (only when the run is of the current text). */
  steps: Record<string, StepEvidence>;
}

/** A chapter as the site build knows it: its key, the sha256 of its text, the steps with expected output. */
export interface VerifiedChapter {
  key: string;
  sha256: string;
  expectSteps: readonly string[];
}

/**
 * From run reports (the reports folder `bookrun run` saves to, or CI artifacts), per chapter and variant the
 * newest run and what it proves of the chapter as it now reads: verified, failed, or of an earlier text. Steps
 * with expected output keep what the run printed, cut to its last `maxOutput` characters. Pure.
 */
export function toVerification(reports: readonly ReportFile[], chapters: readonly VerifiedChapter[], maxOutput = 4000): Record<string, Record<string, VariantVerification>> {
  const out: Record<string, Record<string, VariantVerification>> = {};
  for (const chapter of chapters) {
    const newest = new Map<string, ReportFile>();
    for (const file of reports) {
      if (file.report.chapter.file !== chapter.key) continue;
      const seen = newest.get(file.report.variant.name);
      if (!seen || Date.parse(file.report.startedAt) > Date.parse(seen.report.startedAt)) newest.set(file.report.variant.name, file);
    }
    const byVariant: Record<string, VariantVerification> = {};
    for (const [variant, file] of newest) {
      const { report } = file;
      const current = report.chapter.sha256 === chapter.sha256;
      const steps: Record<string, StepEvidence> = {};
      if (current) {
        for (const step of report.steps) {
          if (!chapter.expectSteps.includes(step.id)) continue;
          const output = typeof step.output === 'string' ? step.output : '';
          const expect = step.expect as { matched?: unknown } | null | undefined;
          steps[step.id] = {
            status: step.status,
            matched: typeof expect?.matched === 'boolean' ? expect.matched : null,
            output: output.length > maxOutput ? `…${output.slice(-maxOutput)}` : output,
          };
        }
      }
      byVariant[variant] = {
        variant,
        state: !current ? 'stale' : report.status === 'passed' ? 'verified' : 'failed',
        startedAt: report.startedAt,
        report: file.path,
        failedLines: report.steps.filter((s) => s.status === 'failed').map((s) => s.line),
        steps,
      };
    }
    out[chapter.key] = byVariant;
  }
  return out;
}
