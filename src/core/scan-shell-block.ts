import { looksLikeOutput } from './looks-like-output.ts';
import { looksLikeProse } from './looks-like-prose.ts';

/** Lines of a shell block that are no commands, found before the block is handed to the shell parser. */
export interface OutputRegion {
  /** Index (0-based, within the block's lines) of the first and last line. */
  start: number;
  end: number;
  /** Pasted output (the default), or a schematic or sentence line (`pv -> pvc -> pod`) set aside with a diagnostic. */
  kind?: 'prose';
}

/**
 * Finds pasted output in a shell block's lines without a full parse: a small lexer keeps track of quotes,
 * heredocs and `\` continuations, and at the start of each new command checks whether the line reads as
 * output ({@link looksLikeOutput}), or as a schematic or sentence ({@link looksLikeProse}: one line each). An
 * output region runs to the end of its paragraph and on through following paragraphs that also read as
 * output. Lines inside quotes or heredocs are never set aside.
 */
export function scanShellBlock(lines: readonly string[]): OutputRegion[] {
  const regions: OutputRegion[] = [];
  let quote: '"' | "'" | null = null;
  let heredoc: string | null = null;
  let continued = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (heredoc !== null) {
      if (line.replace(/^\t+/, '') === heredoc) heredoc = null;
      i++;
      continue;
    }
    const atCommandStart = quote === null && !continued;
    if (atCommandStart && looksLikeProse(line)) {
      regions.push({ start: i, end: i, kind: 'prose' });
      i++;
      continue;
    }
    if (atCommandStart && looksLikeOutput(line)) {
      const start = i;
      let end = i;
      let j = i;
      for (;;) {
        while (j + 1 < lines.length && lines[j + 1]!.trim() !== '') j++;
        end = j;
        let k = j + 1;
        while (k < lines.length && lines[k]!.trim() === '') k++;
        if (k < lines.length && looksLikeOutput(lines[k]!)) j = k;
        else break;
      }
      regions.push({ start, end });
      i = end + 1;
      continue;
    }
    const state = lexLine(line, quote);
    quote = state.quote;
    continued = state.continued;
    if (state.heredoc !== null && quote === null) heredoc = state.heredoc;
    i++;
  }
  return regions;
}

/** Advances quote state across one line; reports a heredoc opener and a trailing `\`. */
function lexLine(line: string, quote: '"' | "'" | null): { quote: '"' | "'" | null; heredoc: string | null; continued: boolean } {
  let heredoc: string | null = null;
  let q = quote;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q === "'") {
      if (c === "'") q = null;
      continue;
    }
    if (c === '\\') {
      if (i === line.length - 1) return { quote: q, heredoc, continued: q === null };
      i++;
      continue;
    }
    if (q === '"') {
      if (c === '"') q = null;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    if (c === '"' || c === "'") {
      q = c;
      continue;
    }
    if (c === '<' && line[i + 1] === '<' && line[i + 2] !== '<') {
      const m = /^<<-?\s*(?:'([^']+)'|"([^"]+)"|\\?([A-Za-z_][A-Za-z0-9_]*))/.exec(line.slice(i));
      if (m) {
        heredoc = m[1] ?? m[2] ?? m[3] ?? null;
        i += m[0].length - 1;
      }
    }
  }
  return { quote: q, heredoc, continued: false };
}
