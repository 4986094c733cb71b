import { existsSync, readFileSync } from 'node:fs';
import { checkValue } from '../core/check-value.ts';

/**
 * The captures a run saved beside its session state (`meta.json`), for a `--from` resume: only string values
 * the value rule accepts (values are data, whoever saved them); {} when there is no readable file.
 */
export function readSavedCaptures(metaFile: string): Record<string, string> {
  if (!existsSync(metaFile)) return {};
  let saved: Record<string, unknown> = {};
  try {
    saved = (JSON.parse(readFileSync(metaFile, 'utf8')) as { captures?: Record<string, unknown> }).captures ?? {};
  } catch {
    return {};
  }
  return Object.fromEntries(Object.entries(saved).filter((e): e is [string, string] => typeof e[1] === 'string' && checkValue(e[1]) === null));
}
