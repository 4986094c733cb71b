import type { BookConfig } from './book-config.ts';
import type { ConditionContext } from './parse-condition.ts';
import type { Diagnostic, Severity, Step } from './model.ts';

/** The book settings the parser reads: the matrix, aliases and unknown-condition policy, and the output sentences. */
export type ChapterConfig = ConditionContext & Partial<Pick<BookConfig, 'outputSentences'>>;

/** What every phase of {@link parseChapter} reads and reports to: the file's lines, the book's settings, the findings. */
export interface ParseContext {
  /** How messages name the file. */
  file: string;
  /** The source lines (index 0 = line 1), front matter included. */
  lines: string[];
  config: ChapterConfig;
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
