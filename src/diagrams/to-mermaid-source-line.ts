/**
 * What mermaid does to a diagram's text before its grammar sees it (mermaid 11 `preprocessDiagram`): line
 * endings to `\n`, the leading `---` front matter cut, `%%{init: …}%%` directives cut, `%%` comment lines cut,
 * leading white space trimmed. Its parse errors count lines in what is left, so a diagram with front matter or
 * comments gets line numbers that are off. These are mermaid's own expressions (src/diagram-api/regexes.ts,
 * comments.ts): the tests check them against mermaid's real errors, so an upgrade that changes them fails there.
 */
const FRONT_MATTER = /^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+/s;
const DIRECTIVE = /%{2}{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!}%{2}).|\r?\n)*))?\s*(?:}%{2})?/gi;
const COMMENT = /^\s*%%(?!{)[^\n]+\n?/gm;

/** A text and, for each of its characters, the offset it came from in the diagram as written. */
interface Traced {
  text: string;
  from: number[];
}

/** Replaces every match of `pattern` with `by` (a constant: mermaid only cuts), keeping where each kept character came from. */
function cut(source: Traced, pattern: RegExp, by = ''): Traced {
  const text: string[] = [];
  const from: number[] = [];
  let last = 0;
  const keep = (end: number) => {
    for (let i = last; i < end; i++) {
      text.push(source.text[i]!);
      from.push(source.from[i]!);
    }
  };
  const regex = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const once = !pattern.flags.includes('g');
  for (const m of source.text.matchAll(regex)) {
    keep(m.index);
    for (const ch of by) {
      text.push(ch);
      from.push(source.from[m.index] ?? source.from.length);
    }
    last = m.index + m[0].length;
    if (once) break;
  }
  keep(source.text.length);
  return { text: text.join(''), from };
}

/**
 * Maps a line (and 0-based column) of mermaid's error back to the diagram as written: returns the 1-based line
 * and column in `code`, or null when the text mermaid parsed has no such line.
 */
export function toMermaidSourceLine(code: string, line: number, column = 0): { line: number; column: number } | null {
  // Offsets here are UTF-16 code units, as String.prototype indexes them.
  let traced: Traced = { text: code, from: Array.from({ length: code.length }, (_, i) => i) };
  traced = cut(traced, /\r\n?/g, '\n');
  traced = cut(traced, FRONT_MATTER);
  traced = cut(traced, DIRECTIVE);
  traced = cut(traced, COMMENT);
  traced = cut(traced, /^\s+/);
  const starts = [0];
  for (let i = traced.text.indexOf('\n'); i >= 0; i = traced.text.indexOf('\n', i + 1)) starts.push(i + 1);
  const start = starts[line - 1];
  if (start === undefined) return null;
  const at = Math.min(start + Math.max(0, column), traced.text.length);
  const offset = at < traced.from.length ? traced.from[at]! : code.length;
  const before = code.slice(0, offset);
  const sourceLine = before.split(/\r\n?|\n/).length;
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  return { line: sourceLine, column: offset - lineStart };
}
