import type { VFile } from 'vfile';

/** One finding in `bookrun lint --format json`. */
export interface LintRecord {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** Flattens vfile messages into the JSON records of `bookrun lint --format json`. */
export function toLintRecords(files: VFile[]): LintRecord[] {
  return files.flatMap((file) =>
    file.messages.map((m) => ({
      file: file.path,
      line: m.line ?? 1,
      column: m.column ?? 1,
      rule: m.ruleId ?? 'bookrun',
      severity: m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info',
      message: m.reason,
    })),
  );
}

/**
 * Formats lint findings: `text` prints `FILE:LINE:COL severity message [rule]` a line (as `bookrun plan`
 * prints diagnostics) and a summary; `json` prints the records.
 */
export function toLintReport(files: VFile[], format: 'text' | 'json'): string {
  const records = toLintRecords(files);
  if (format === 'json') return JSON.stringify(records, null, 2) + '\n';
  const lines = records.map((r) => `${r.file}:${r.line}:${r.column} ${r.severity} ${r.message} [${r.rule}]`);
  const count = (s: LintRecord['severity']) => records.filter((r) => r.severity === s).length;
  lines.push(`${files.length} ${files.length === 1 ? 'file' : 'files'}: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos`);
  return lines.join('\n') + '\n';
}
