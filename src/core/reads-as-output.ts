import { looksLikeData } from './looks-like-data.ts';
import { looksLikeOutput } from './looks-like-output.ts';

/**
 * Whether the first line of a paragraph in a shell-tagged block reads as something a terminal printed (or a
 * file holds) rather than a command: output ({@link looksLikeOutput}), data ({@link looksLikeData}), or a
 * first word no command has (`hello,`, `done.`, `Running!`).
 */
export function readsAsOutput(line: string): boolean {
  if (looksLikeOutput(line) || looksLikeData(line)) return true;
  const first = line.trim().split(/\s+/)[0] ?? '';
  return first !== '' && !first.startsWith('#') && (/[,;!?]$/.test(first) || /[^./]\.$/.test(first) || /\w:$/.test(first));
}
