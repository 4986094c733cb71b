/** One change record mode makes to a chapter: the lines `from` up to (not including) `to` become `lines`. */
export interface ChapterEdit {
  /** 1-based first line replaced; with `to === from`, the lines are inserted before it. */
  from: number;
  /** 1-based line after the last one replaced. */
  to: number;
  lines: string[];
}

/**
 * Applies record mode's edits to a chapter's text: only the lines the edits name change, every other byte
 * (line ends included: a CRLF chapter stays CRLF) stays as it was. Edits must not overlap. Pure.
 */
export function toRecordedChapter(text: string, edits: readonly ChapterEdit[]): string {
  const eol = /\r\n/.test(text) && !/(^|[^\r])\n/.test(text) ? '\r\n' : '\n';
  // Each line with its own terminator, so untouched lines keep theirs exactly.
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const sorted = [...edits].sort((a, b) => b.from - a.from);
  for (const edit of sorted) {
    const replaced = edit.lines.map((l) => `${l}${eol}`);
    // Inserting after a last line without a newline: give that line its newline first.
    if (edit.from - 1 === lines.length && lines.length > 0 && !lines[lines.length - 1]!.endsWith('\n')) lines[lines.length - 1] += eol;
    lines.splice(edit.from - 1, edit.to - edit.from, ...replaced);
  }
  return lines.join('');
}
