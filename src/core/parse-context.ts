import type { ConditionContext } from './parse-condition.ts';
import type { Diagnostic, Severity, Step } from './model.ts';

/** What every phase of {@link parseChapter} reads and reports to: the file's lines, the book's settings, the findings. */
export interface ParseContext {
  /** How messages name the file. */
  file: string;
  /** The source lines (index 0 = line 1), front matter included. */
  lines: string[];
  config: ConditionContext;
  diagnostics: Diagnostic[];
}

/** A step while the chapter is being read: `wait` says a "wait" comment stood above it (resolved once outputs are known). */
export interface RawStep {
  step: Step;
  wait: boolean;
}

/** Adds a diagnostic (a problem in the author's Markdown is a message, never an exception). */
export function report(ctx: ParseContext, line: number, column: number, rule: string, severity: Severity, message: string): void {
  ctx.diagnostics.push({ line, column, rule, severity, message });
}
