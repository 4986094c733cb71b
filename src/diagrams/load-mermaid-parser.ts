import { toMermaidSourceLine } from './to-mermaid-source-line.ts';

/** What mermaid's own parser says of one diagram, with the error's place in the diagram as written. */
export type MermaidCheck =
  | { kind: 'ok'; type: string }
  | {
      kind: 'error';
      /** 1-based line in the diagram's text as written (front matter, directives and comments counted); null when mermaid names none. */
      line: number | null;
      /** 1-based column, when mermaid names one. */
      column: number | null;
      /** mermaid's message on one line, without its own line numbers (they count another text) and its ASCII pointer. */
      message: string;
    };

/** Checks one diagram's syntax with mermaid's parser (no browser, no rendering). */
export type MermaidParser = (code: string) => Promise<MermaidCheck>;

interface MermaidError {
  name?: string;
  message?: string;
  hash?: { loc?: { first_line?: number; first_column?: number } };
  result?: { lexerErrors?: Array<{ line?: number; column?: number }>; parserErrors?: Array<{ token?: { startLine?: number; startColumn?: number } }> };
}

/** mermaid's message on one line: the jison header's `on line N`, its context line and pointer dropped; expectations shortened. */
export function toMermaidMessage(error: MermaidError): string {
  const raw = String(error.message ?? error);
  const lines = raw.split('\n');
  let message: string;
  if (/^Parse error on line \d+:?$/.test(lines[0] ?? '')) {
    // jison: "Parse error on line 3:", "...A --> B  B --> --> C", "---^", "Expecting 'AMP', …, got 'LINK'"
    const expecting = lines.slice(1).find((l) => /^Expecting\b/.test(l)) ?? lines.slice(3).join(' ');
    const tokens = /^Expecting (.*), got (.*)$/.exec(expecting);
    if (tokens) {
      const wanted = tokens[1]!.split(/,\s*/);
      message = `Parse error: expecting ${wanted.slice(0, 6).join(', ')}${wanted.length > 6 ? ` or ${wanted.length - 6} more` : ''}, got ${tokens[2]}`;
    } else message = `Parse error: ${expecting}`.trim();
  } else if (error.name === 'UnknownDiagramError' || /No diagram type detected/.test(raw)) {
    const first = /for text: ?(.*)$/m.exec(raw)?.[1]?.trim();
    message = `no diagram type detected${first ? ` in "${first}"` : ''}: start with a type mermaid knows (flowchart, sequenceDiagram, classDiagram, stateDiagram-v2, erDiagram, gantt, pie, gitGraph, …)`;
  } else {
    message = lines.map((l) => l.trim()).filter(Boolean).join(' ');
  }
  return message.replace(/ on line \d+(?:, column \d+)?/g, '').replace(/\s+/g, ' ').trim();
}

/** Where mermaid says the error is, in the text it parsed (1-based line, 0-based column). */
function placeOf(error: MermaidError): { line: number; column: number } | null {
  const loc = error.hash?.loc;
  if (loc?.first_line) return { line: loc.first_line, column: loc.first_column ?? 0 };
  const lexer = error.result?.lexerErrors?.[0];
  if (lexer?.line) return { line: lexer.line, column: Math.max(0, (lexer.column ?? 1) - 1) };
  const token = error.result?.parserErrors?.[0]?.token;
  if (token?.startLine) return { line: token.startLine, column: Math.max(0, (token.startColumn ?? 1) - 1) };
  const named = /\bline (\d+)/.exec(String(error.message ?? ''));
  return named ? { line: Number(named[1]), column: 0 } : null;
}

let loaded: Promise<MermaidParser> | null = null;

/**
 * mermaid's own parser in Node, loaded once (about half a second; only when a chapter has a diagram). mermaid
 * cleans label text with DOMPurify, which without a DOM exports a stub with no `sanitize`: every labelled
 * flowchart would fail with "DOMPurify.addHook is not a function". Syntax needs no cleaning, so the stub gets
 * no-op methods before mermaid is imported. It must be the ES module instance mermaid imports (`import()`,
 * never `require`: the CommonJS build is another object).
 */
export function loadMermaidParser(): Promise<MermaidParser> {
  loaded ??= (async () => {
    // Under Docusaurus's config loader (jiti, which turns import() into require() with the default export
    // unwrapped) the module is the default export itself: take either shape.
    const purify = (await import('dompurify')) as unknown as { default?: Record<string, unknown> & { isSupported?: boolean } };
    const DOMPurify = purify.default ?? (purify as Record<string, unknown> & { isSupported?: boolean });
    if (!DOMPurify.isSupported && typeof DOMPurify.sanitize !== 'function') {
      Object.assign(DOMPurify, { sanitize: (s: unknown) => String(s), addHook() {}, removeHook() {}, removeHooks() {}, removeAllHooks() {} });
    }
    const loadedMermaid = (await import('mermaid')) as unknown as { default?: typeof import('mermaid').default };
    const mermaid = loadedMermaid.default ?? (loadedMermaid as unknown as typeof import('mermaid').default);
    return async (code: string): Promise<MermaidCheck> => {
      try {
        const result = await mermaid.parse(code);
        return { kind: 'ok', type: result ? result.diagramType : 'unknown' };
      } catch (caught) {
        const error = caught as MermaidError;
        const place = placeOf(error);
        const source = place ? toMermaidSourceLine(code, place.line, place.column) : null;
        return { kind: 'error', line: source?.line ?? null, column: source ? source.column + 1 : null, message: toMermaidMessage(error) };
      }
    };
  })();
  return loaded;
}
