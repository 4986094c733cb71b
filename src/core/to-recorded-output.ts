import { alignOutput } from './check-output.ts';
import type { Expect } from './model.ts';

function splitLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
}

/**
 * The expected output a chapter should show for what a command printed (record mode): the actual output,
 * except that every actual line the matcher aligned with an expected line is the expected line as the author
 * wrote it (its `[...]`, its old ages, hashes, IPs and pod names, its own spacing), and the actual lines an
 * elision (`...`, `[...]`) stood for stay that elision. Expected lines that were not found are dropped;
 * actual lines nothing matched are taken as printed (trailing spaces trimmed). Leading and trailing blank lines
 * are dropped. Pure; the result has no trailing newline and matches `actual` under {@link checkOutput}.
 */
export function toRecordedOutput(expected: Pick<Expect, 'text'>, actual: string): string {
  const written = splitLines(expected.text);
  const printed = splitLines(actual);
  const out: string[] = [];
  for (const line of alignOutput(expected, actual).lines) {
    if (line.kind === 'match' || line.kind === 'elided') out.push(written[line.expected]!);
    else if (line.kind === 'extra') out.push(printed[line.actual]!.trimEnd());
  }
  while (out.length > 0 && out[0]!.trim() === '') out.shift();
  while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  return out.join('\n');
}
