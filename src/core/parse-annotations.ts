import { checkValue } from './check-value.ts';
import type { Annotations } from './model.ts';

/** A problem in a `# bookrun:` line, reported as a diagnostic by the caller. */
export interface AnnotationProblem {
  column: number;
  message: string;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `2m`, `1h`, `500ms`, `1m30s` → milliseconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || consumed === 0) return /^\d+$/.test(text) ? Number(text) * 1000 : null;
  return total;
}

/** Splits `key=value key="quoted value" key=/re gex/ flag` into pairs; `/…/` and `"…"` may hold spaces. */
function tokenize(text: string): Array<{ key: string; value: string | null; column: number }> {
  const out: Array<{ key: string; value: string | null; column: number }> = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
    const key = text.slice(start, i);
    if (!key) {
      out.push({ key: text.slice(start).split(/\s/)[0]!, value: null, column: start });
      while (i < text.length && text[i] !== ' ') i++;
      continue;
    }
    if (text[i] !== '=') {
      out.push({ key, value: null, column: start });
      continue;
    }
    i++;
    let value = '';
    const quote = text[i];
    if (quote === '"' || quote === "'" || quote === '/') {
      let j = i + 1;
      while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1;
      value = quote === '/' ? text.slice(i, j + 1) : text.slice(i + 1, j);
      i = j + 1;
      // A `capture=NAME:/re/` value starts with NAME: and continues with the regex.
    } else {
      const vs = i;
      while (i < text.length && text[i] !== ' ' && text[i] !== '\t') {
        if (text[i] === '/' && text.slice(vs, i).endsWith(':')) {
          let j = i + 1;
          while (j < text.length && text[j] !== '/') j += text[j] === '\\' ? 2 : 1;
          i = j + 1;
          break;
        }
        i++;
      }
      value = text.slice(vs, i);
    }
    out.push({ key, value, column: start });
  }
  return out;
}

function regexSource(value: string): string {
  return value.startsWith('/') && value.endsWith('/') && value.length >= 2 ? value.slice(1, -1) : value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function validRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses the text after `# bookrun:` (see {@link Annotations} for the syntax).
 * `column` offsets in problems are relative to `text`.
 */
export function parseAnnotations(text: string): { annotations: Annotations; problems: AnnotationProblem[] } {
  const annotations: Annotations = {};
  const problems: AnnotationProblem[] = [];
  for (const { key, value, column } of tokenize(text)) {
    switch (key) {
      case 'until': {
        const source = value === null ? null : regexSource(value);
        if (source === null || !validRegex(source)) problems.push({ column, message: 'until needs a pattern: until=/ready/ or until="text"' });
        else annotations.until = source;
        break;
      }
      case 'capture': {
        const m = value === null ? null : /^([A-Za-z_][A-Za-z0-9_]*):(.+)$/.exec(value);
        const source = m ? regexSource(m[2]!) : null;
        if (!m || source === null || !validRegex(source)) {
          problems.push({ column, message: 'capture needs NAME:/regex/ (the first group, or the whole match, becomes $NAME)' });
        } else {
          annotations.capture = { ...(annotations.capture ?? {}), [m[1]!]: source };
        }
        break;
      }
      case 'timeout': {
        const ms = value === null ? null : parseDuration(value);
        if (ms === null) problems.push({ column, message: 'timeout needs a duration: timeout=30s, 2m, 1h' });
        else annotations.timeoutMs = ms;
        break;
      }
      case 'skip':
        annotations.skip = true;
        if (value) annotations.skipReason = value;
        break;
      case 'exit': {
        if (value === null || !/^\d+$/.test(value)) problems.push({ column, message: 'exit needs a number: exit=1' });
        else annotations.exitCode = Number(value);
        break;
      }
      case 'teardown':
        if (value !== null) problems.push({ column, message: 'teardown takes no value: write # bookrun: teardown' });
        else annotations.teardown = true;
        break;
      case 'input': {
        // Values are data: a reply is typed into the terminal, so it may hold no control character either.
        const problem = value === null || value === '' ? null : checkValue(value);
        if (value === null || value === '') problems.push({ column, message: 'input needs the reply to type: input="y"' });
        else if (problem) problems.push({ column, message: `input: the reply ${problem.message}` });
        else annotations.input = [...(annotations.input ?? []), value];
        break;
      }
      default:
        problems.push({ column, message: `unknown annotation "${key}"; known: until, capture, timeout, skip, exit, teardown, input` });
    }
  }
  return { annotations, problems };
}
