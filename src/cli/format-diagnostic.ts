import type { Diagnostic } from '../core/model.ts';

/** `FILE:LINE:COL severity message [rule]`, the form every remark-lint user expects. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.line}:${d.column} ${d.severity} ${d.message} [${d.rule}]`;
}
