import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';

/** A YAML file's data, or why it could not be had: unreadable, or invalid at a line. */
export type YamlFile = { ok: true; data: unknown } | { ok: false; kind: 'unreadable' } | { ok: false; kind: 'invalid'; line: number | null; message: string };

/** Reads and parses a YAML file; problems are values, so each caller words its own error. */
export async function readYamlFile(file: string): Promise<YamlFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { ok: false, kind: 'unreadable' };
  }
  try {
    return { ok: true, data: parseYaml(text) };
  } catch (error) {
    const e = error as { linePos?: Array<{ line: number }>; message: string };
    return { ok: false, kind: 'invalid', line: e.linePos?.[0]?.line ?? null, message: e.message.split('\n')[0] || 'invalid YAML' };
  }
}
