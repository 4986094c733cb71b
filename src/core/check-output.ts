import { createPatch } from 'diff';
import { parseAllDocuments } from 'yaml';
import type { Expect } from './model.ts';
import { escapeRegExp } from './escape-reg-exp.ts';

/** The verdict of {@link checkOutput}: `diff` is empty when matched, else a short unified diff. */
export interface OutputCheck {
  matched: boolean;
  diff: string;
}

/**
 * Volatile tokens: what changes from one run to the next and so matches anything of its kind. Each kind
 * is found in the expected line (where the author pasted one run's value) and becomes a pattern that
 * accepts any value of that kind in the actual line. Order matters: the first kind to claim a span wins.
 */
const DURATION = String.raw`\d+(?:\.\d+)?(?:ms|[smhdwy])(?:\d+(?:\.\d+)?(?:ms|[smhdwy]))*`;
const K8S_ALPHABET = '[bcdfghjklmnpqrstvwxz2456789]';
const VOLATILE: Array<{ kind: string; find: RegExp; accept: string }> = [
  // `(x5 over 16m)` in kubectl events
  { kind: 'event-count', find: /\(x\d+ over \d+(?:\.\d+)?(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*\)/g, accept: String.raw`\(x\d+ over ${DURATION}\)` },
  // ISO 8601 / RFC 3339 and `2024-01-02 15:04:05` timestamps
  {
    kind: 'timestamp',
    find: /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\s?[A-Z]{3,4})?)?\b/g,
    accept: String.raw`\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\s?[A-Z]{3,4})?)?`,
  },
  // `Thu Nov 26 03:57:57 UTC 2026` (date), `Mon, 02 Jan 2006 15:04:05 GMT` (HTTP)
  {
    kind: 'date',
    find: /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? (?:\d{1,2} )?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?:\s?\d{1,2} )?(?:\d{4} )?\d{2}:\d{2}:\d{2}(?: [A-Z]{2,5})?(?: \d{4})?/g,
    accept: String.raw`(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? (?:\d{1,2} )?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?:\s?\d{1,2} )?(?:\d{4} )?\d{2}:\d{2}:\d{2}(?: [A-Z]{2,5})?(?: \d{4})?`,
  },
  // a clock time `15:04:05` or `15:04:05.123`
  { kind: 'time', find: /\b\d{2}:\d{2}:\d{2}(?:\.\d+)?\b/g, accept: String.raw`\d{2}:\d{2}:\d{2}(?:\.\d+)?` },
  // UUIDs
  { kind: 'uuid', find: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, accept: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}' },
  // IPv4 (with an optional port) and IPv6 addresses
  { kind: 'ipv4', find: /\b(?:\d{1,3}\.){3}\d{1,3}\b/g, accept: String.raw`(?:\d{1,3}\.){3}\d{1,3}` },
  { kind: 'ipv6', find: /(?<![\w:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}(?![\w:])|::1\b/gi, accept: '(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}' },
  // generated Kubernetes names: `name-7d9c6b5f4-x2x8z` (Deployment pods), `name-x2x8z` (Job, DaemonSet, StatefulSet pods)
  {
    kind: 'k8s-pod',
    find: new RegExp(`(?<=[a-z0-9]-)(?=${K8S_ALPHABET}{0,9}\\d)${K8S_ALPHABET}{6,10}-(?=${K8S_ALPHABET}{0,4}\\d)${K8S_ALPHABET}{5}\\b`, 'g'),
    accept: `${K8S_ALPHABET}{6,10}-${K8S_ALPHABET}{5}`,
  },
  { kind: 'k8s-suffix', find: new RegExp(`(?<=[a-z0-9]-)(?=${K8S_ALPHABET}{0,9}\\d)${K8S_ALPHABET}{5,10}\\b(?!\\.)`, 'g'), accept: `${K8S_ALPHABET}{5,10}` },
  // hashes: git SHAs, image digests, ids (hex with at least one digit and one letter)
  { kind: 'hash', find: /\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,128}\b/g, accept: '[0-9a-f]{7,128}' },
  // ages and durations: `11m`, `5m47s`, `107s`, `2d`, `1.5s`, `3 minutes ago`
  { kind: 'age', find: /\b\d+ (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?) ago\b/g, accept: String.raw`(?:\d+|an?) \w+ ago` },
  { kind: 'duration', find: new RegExp(String.raw`(?<![\w.])${DURATION}(?![\w])`, 'g'), accept: DURATION },
];

const ELLIPSIS_LINE = /^\s*(?:\.\.\.|\[\.\.\.\]|…|\[…\])\s*$/;
const INLINE_ELLIPSIS = /\[\.\.\.\]|\[…\]/g;

function normalise(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

/** Drops the AGE column of tables (kubectl and friends) from a block of lines, header included. */
function dropAgeColumns(lines: string[]): string[] {
  const out = [...lines];
  for (let i = 0; i < out.length; i += 1) {
    const header = out[i]!.trim().split(/\s+/);
    const age = header.indexOf('AGE');
    // A header: upper-case column names, AGE among them.
    if (age < 0 || !header.every((h) => /^[A-Z][A-Z0-9_()%/.-]*$/.test(h))) continue;
    out[i] = header.filter((_, k) => k !== age).join(' ');
    for (let j = i + 1; j < out.length; j += 1) {
      const cells = out[j]!.trim().split(/\s+/);
      if (out[j]!.trim() === '' || cells.length !== header.length) break;
      out[j] = cells.filter((_, k) => k !== age).join(' ');
    }
  }
  return out;
}

/** Turns one expected line into a pattern for one actual line. */
function linePattern(expected: string): RegExp {
  const text = normalise(expected);
  type Span = { start: number; end: number; accept: string };
  const spans: Span[] = [];
  const taken = (start: number, end: number) => spans.some((s) => start < s.end && end > s.start);
  for (const m of text.matchAll(INLINE_ELLIPSIS)) spans.push({ start: m.index!, end: m.index! + m[0].length, accept: '.*?' });
  for (const { find, accept } of VOLATILE) {
    for (const m of text.matchAll(find)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (m[0] && !taken(start, end)) spans.push({ start, end, accept: `(?:${accept})` });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  let source = '';
  let at = 0;
  for (const span of spans) {
    source += literal(text.slice(at, span.start)) + span.accept;
    at = span.end;
  }
  source += literal(text.slice(at));
  return new RegExp(`^${source}$`);
}

function literal(text: string): string {
  return escapeRegExp(text).replace(/ /g, '\\s+');
}

/**
 * How the matcher lined the expected output up with the actual output, in output order. Indexes are lines
 * of the texts as given (split at newlines, trailing newlines dropped). Blank expected lines take no part.
 */
export type AlignedLine =
  /** Expected line `expected` matched actual line `actual` (whitespace, volatile tokens, AGE and `[...]` allowed). */
  | { kind: 'match'; expected: number; actual: number }
  /** An elision line (`...`, `[...]`) of the expected output, standing for the actual lines `from` up to (not including) `to`. */
  | { kind: 'elided'; expected: number; from: number; to: number }
  /** An expected line no actual line matched (in order). */
  | { kind: 'missing'; expected: number }
  /** An actual line (blank ones included) no expected line matched nor an elision covers. */
  | { kind: 'extra'; actual: number };

/** The alignment of an expected output with an actual one (see {@link alignOutput}). */
export interface OutputAlignment {
  /** Every expected line matched an actual line, in order (the verdict of {@link checkOutput} for lines). */
  matched: boolean;
  lines: AlignedLine[];
}

/** Above this many line comparisons, a failed match is aligned greedily instead of by longest common subsequence. */
const MAX_ALIGN_WORK = 2_000_000;

/**
 * Pairs expected pattern lines with actual lines. When every pattern is found in order the greedy (first
 * possible) pairing is the matcher's own; otherwise the pairing that matches the most expected lines (longest
 * common subsequence), so a diff or a recorded output keeps as much of the author's text as can be kept.
 */
function pairLines(patterns: RegExp[], plain: string[], asPrinted: string[]): Array<number | null> {
  // A line matches its actual line with the AGE column dropped, or as printed (rows pasted without their header).
  const fits = (pattern: RegExp, k: number) => pattern.test(plain[k]!) || (asPrinted[k] !== plain[k] && pattern.test(asPrinted[k]!));
  const greedy: Array<number | null> = [];
  let j = 0;
  for (let i = 0; i < patterns.length; i += 1) {
    const pattern = patterns[i]!;
    while (j < plain.length && !fits(pattern, j)) j += 1;
    if (j >= plain.length) break;
    greedy.push(j);
    j += 1;
  }
  if (greedy.length === patterns.length) return greedy;
  const n = patterns.length;
  const m = plain.length;
  if (n * m > MAX_ALIGN_WORK) {
    // Greedy with skips: a line that is not found is missing, the search goes on from where it was.
    const out: Array<number | null> = [];
    let at = 0;
    for (const pattern of patterns) {
      let k = at;
      while (k < m && !fits(pattern, k)) k += 1;
      if (k < m) {
        out.push(k);
        at = k + 1;
      } else out.push(null);
    }
    return out;
  }
  // lcs[i][j]: most patterns i.. matched in order within actual lines j..
  const hits = patterns.map((p) => plain.map((_, k) => fits(p, k)));
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let k = m - 1; k >= 0; k -= 1) {
      lcs[i]![k] = hits[i]![k] ? lcs[i + 1]![k + 1]! + 1 : Math.max(lcs[i + 1]![k]!, lcs[i]![k + 1]!);
    }
  }
  const out: Array<number | null> = [];
  let i = 0;
  let k = 0;
  while (i < n) {
    if (k >= m) {
      out.push(null);
      i += 1;
    } else if (hits[i]![k] && lcs[i]![k] === lcs[i + 1]![k + 1]! + 1) {
      out.push(k);
      i += 1;
      k += 1;
    } else if (lcs[i + 1]![k]! >= lcs[i]![k + 1]!) {
      out.push(null);
      i += 1;
    } else k += 1;
  }
  return out;
}

/** {@link alignOutput} on lines already split (with AGE columns dropped on both sides; `printed`: the actual lines as printed). */
function alignLines(expected: string[], actual: string[], printed: string[] = actual): OutputAlignment {
  const items = expected.map((line, index) => ({ index, line })).filter((e) => e.line.trim() !== '');
  const patternItems = items.filter((e) => !ELLIPSIS_LINE.test(e.line));
  const plain = actual.map(normalise);
  const pairs = pairLines(patternItems.map((e) => linePattern(e.line)), plain, printed.map(normalise));
  const actualOf = new Map<number, number | null>();
  patternItems.forEach((e, k) => actualOf.set(e.index, pairs[k] ?? null));
  const matchedActual = new Set(pairs.filter((p): p is number => p !== null));
  // Where each expected item sits in the output: after the actual line of the last matched item before it.
  const lines: Array<AlignedLine & { at: number; order: number }> = [];
  let lastActual = -1;
  const covered = new Set<number>();
  items.forEach((e, order) => {
    if (!ELLIPSIS_LINE.test(e.line)) {
      const j = actualOf.get(e.index) ?? null;
      if (j === null) lines.push({ kind: 'missing', expected: e.index, at: lastActual + 0.5, order });
      else {
        lines.push({ kind: 'match', expected: e.index, actual: j, at: j, order });
        lastActual = j;
      }
      return;
    }
    // An elision covers the unmatched actual lines up to the next matched expected line.
    let next = plain.length;
    for (const later of items.slice(order + 1)) {
      const j = actualOf.get(later.index);
      if (j !== undefined && j !== null) {
        next = j;
        break;
      }
    }
    let from = lastActual + 1;
    while (from < next && covered.has(from)) from += 1;
    let to = from;
    while (to < next && !matchedActual.has(to)) to += 1;
    for (let j = from; j < to; j += 1) covered.add(j);
    lines.push({ kind: 'elided', expected: e.index, from, to, at: from - 0.5, order });
  });
  for (let j = 0; j < plain.length; j += 1) {
    if (!matchedActual.has(j) && !covered.has(j)) lines.push({ kind: 'extra', actual: j, at: j, order: -1 });
  }
  lines.sort((a, b) => a.at - b.at || (a.order === -1 ? 1 : b.order === -1 ? -1 : a.order - b.order));
  return { matched: pairs.length === patternItems.length && pairs.every((p) => p !== null), lines: lines.map(({ at: _at, order: _order, ...line }) => line as AlignedLine) };
}

/**
 * Lines the expected output up with the actual output, as {@link checkOutput} compares them line by line:
 * which actual line each expected line matched, which actual lines each elision stands for, which expected
 * lines are missing and which actual lines are extra. Record mode keeps every matched and elision line as
 * the author wrote it. Pure.
 */
export function alignOutput(expected: Pick<Expect, 'text'>, actual: string): OutputAlignment {
  const printed = splitLines(actual);
  return alignLines(dropAgeColumns(splitLines(expected.text)), dropAgeColumns(printed), printed);
}

function splitLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
}

/** Parses every YAML/JSON document of a text; null when it is not structured data. */
function parseDocuments(text: string): unknown[] | null {
  try {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs) || docs.length === 0) return null;
    const values: unknown[] = [];
    for (const doc of docs) {
      if (doc.errors.length > 0) return null;
      const value = doc.toJS();
      if (value !== null && value !== undefined) values.push(value);
    }
    return values.length > 0 && values.every((v) => typeof v === 'object') ? values : null;
  } catch {
    return null;
  }
}

/** Whether `expected` is a subset of `actual`: keys present with matching values, list items in order. */
function isSubset(expected: unknown, actual: unknown): boolean {
  // `key: [...]` is YAML for a list holding `...`: the author's "anything here".
  if (Array.isArray(expected) && expected.length === 1 && (expected[0] === '...' || expected[0] === '…')) return true;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    let j = 0;
    for (const item of expected) {
      while (j < actual.length && !isSubset(item, actual[j])) j += 1;
      if (j >= actual.length) return false;
      j += 1;
    }
    return true;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).every(([key, value]) => key in record && isSubset(value, record[key]));
  }
  if (typeof expected === 'string' && ['[...]', '...', '…'].includes(expected.trim())) return true;
  if (expected === actual) return true;
  if (expected === null || actual === null || typeof actual === 'object') return false;
  return linePattern(String(expected)).test(normalise(String(actual)));
}

/** How many expected lines appear in the actual output in order, a missing line skipped (for a similarity). */
function countInOrder(expected: string[], actual: string[]): number {
  const patterns = expected.filter((l) => l.trim() !== '' && !ELLIPSIS_LINE.test(l)).map(linePattern);
  const plain = actual.map(normalise);
  let j = 0;
  let found = 0;
  for (const pattern of patterns) {
    let k = j;
    while (k < plain.length && !pattern.test(plain[k]!)) k += 1;
    if (k < plain.length) {
      found += 1;
      j = k + 1;
    }
  }
  return patterns.length === 0 ? 1 : found / patterns.length;
}

const MAX_DIFF_LINES = 40;

function shortDiff(expected: string[], aligned: string[]): string {
  const patch = createPatch('output', `${expected.join('\n')}\n`, `${aligned.join('\n')}\n`, 'expected', 'actual', { context: 2 });
  // Drop the `Index:`/`===` preamble; keep the ---/+++ labels and hunks.
  const lines = ['--- expected', '+++ actual', ...patch.split('\n').slice(4).filter((l, i, all) => !(i === all.length - 1 && l === ''))];
  if (lines.length <= MAX_DIFF_LINES) return lines.join('\n');
  return [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more diff lines`].join('\n');
}

/**
 * Checks a command's actual output against the chapter's expected output, tolerantly (the rules are in
 * docs/reference/expected-output.md):
 *
 * - expected lines must appear in the actual output in order, whitespace-normalised; other lines in
 *   between are allowed, blank lines are ignored, a line `...` or `[...]` stands for any lines and
 *   `[...]` inside a line for any text;
 * - volatile tokens match any token of their kind: durations and ages (`11m`, `5m47s`, `(x5 over 16m)`),
 *   timestamps, dates and clock times, IPv4/IPv6 addresses, UUIDs, hashes, generated Kubernetes name
 *   suffixes (`-7d9c6b5f4-x2x8z`);
 * - a table's `AGE` column is ignored;
 * - a YAML or JSON expected block matches when it is a subset of an actual document;
 * - with a `similarity` (Innovation Engine's `expected_similarity=0.8`), it is enough that that share of the
 *   expected lines appear in order; with a `pattern` (`expected_similarity="regex"`), the output must match it.
 *
 * Pure. `diff` is a short unified diff (expected vs actual, matched lines shown as equal) when not matched.
 */
export function checkOutput(expected: Pick<Expect, 'text' | 'lang' | 'similarity' | 'pattern'>, actual: string): OutputCheck {
  if (expected.pattern !== undefined) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(expected.pattern, 'm');
    } catch {
      re = null;
    }
    const text = actual.replace(/\r\n?/g, '\n').trim();
    if (re?.test(text)) return { matched: true, diff: '' };
    return { matched: false, diff: ['--- expected', `+++ actual`, `-/${expected.pattern}/${re ? '' : ' (not a valid regular expression)'}`, ...text.split('\n').slice(0, MAX_DIFF_LINES).map((l) => `+${l}`)].join('\n') };
  }
  const actualLines = actual.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const expectedLines = expected.text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const lang = expected.lang?.toLowerCase() ?? null;
  const structured = lang === 'yaml' || lang === 'yml' || lang === 'json' || /^\s*[[{]/.test(expected.text);
  if (structured) {
    const want = parseDocuments(expected.text);
    const got = want ? parseDocuments(actual) : null;
    if (want && got && want.every((w) => got.some((g) => isSubset(w, g)))) return { matched: true, diff: '' };
  }
  const wanted = dropAgeColumns(expectedLines);
  const got = dropAgeColumns(actualLines);
  const alignment = alignLines(wanted, got, actualLines);
  if (alignment.matched) return { matched: true, diff: '' };
  if (expected.similarity !== undefined && countInOrder(wanted, got) >= expected.similarity) return { matched: true, diff: '' };
  return { matched: false, diff: toAlignedDiff(wanted, got, alignment) };
}

/**
 * The diff of a failed match: `-` the expected lines that were not found, `+` the actual lines nothing
 * matched, and each matched actual line shown as its expected line (so only what really differs shows).
 */
function toAlignedDiff(expected: string[], actual: string[], alignment: OutputAlignment): string {
  const shown: string[] = [];
  const aligned: string[] = [];
  for (const line of alignment.lines) {
    if (line.kind === 'match') {
      shown.push(normalise(expected[line.expected]!));
      aligned.push(normalise(expected[line.expected]!));
    } else if (line.kind === 'missing') shown.push(normalise(expected[line.expected]!));
    else if (line.kind === 'extra') {
      if (actual[line.actual]!.trim() !== '') aligned.push(normalise(actual[line.actual]!));
    }
    else {
      // What an elision stands for is no difference: it shows on both sides, as the author wrote it.
      shown.push(normalise(expected[line.expected]!));
      aligned.push(normalise(expected[line.expected]!));
    }
  }
  return shortDiff(shown, aligned);
}
