import { readFile } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';

/** The line (1-based) of a key in a YAML file, by its path of keys; null when it is not there. */
export type YamlLineOf = (keys: readonly string[]) => number | null;

/** A YAML file's data, or why it could not be had: unreadable, or invalid at a line. */
export type YamlFile =
  | { ok: true; data: unknown; lineOf: YamlLineOf }
  | { ok: false; kind: 'unreadable' }
  | { ok: false; kind: 'invalid'; line: number | null; message: string };

/** Parses YAML text; problems are values, so each caller words its own error. */
export function parseYamlText(text: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const error = doc.errors[0];
  if (error) return { ok: false, kind: 'invalid', line: error.linePos?.[0]?.line ?? null, message: error.message.split('\n')[0] || 'invalid YAML' };
  const lineOf: YamlLineOf = (keys) => {
    let node: unknown = doc.contents;
    let line: number | null = null;
    for (const key of keys) {
      if (!isMap(node)) return null;
      const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : item.key) === key);
      if (!pair) return null;
      const at = (pair.key as Node | null)?.range?.[0];
      line = at === undefined ? null : lineCounter.linePos(at).line;
      node = pair.value;
    }
    return line;
  };
  try {
    return { ok: true, data: doc.toJS(), lineOf };
  } catch (e) {
    return { ok: false, kind: 'invalid', line: null, message: (e as Error).message.split('\n')[0] || 'invalid YAML' };
  }
}

/** Reads and parses a YAML file (see {@link parseYamlText}). */
export async function readYamlFile(file: string): Promise<YamlFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { ok: false, kind: 'unreadable' };
  }
  return parseYamlText(text);
}
