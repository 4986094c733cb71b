import { PUBLISHED_PLAN_VERSION, type PublishedIndex } from './published-plan.ts';
import type { PublishedParse } from './parse-published-plan.ts';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Checks the index of a book's published plans ({@link PublishedIndex}); the message names the first bad field. Pure. */
export function parsePublishedIndex(data: unknown): PublishedParse<PublishedIndex> {
  const bad = (message: string): PublishedParse<PublishedIndex> => ({ ok: false, message });
  if (!isRecord(data)) return bad('not an index of published plans: expected a JSON object');
  if (data.version !== PUBLISHED_PLAN_VERSION) return bad(`published plans version ${JSON.stringify(data.version)}: this bookrun reads version ${PUBLISHED_PLAN_VERSION} (update bookrun)`);
  if (typeof data.title !== 'string') return bad('title is not text');
  if (!isStrings(data.variants) || data.variants.length === 0) return bad('variants must be a non-empty list of names');
  if (!isStrings(data.secrets)) return bad('secrets must be a list of names');
  if (!Array.isArray(data.chapters)) return bad('chapters must be a list');
  for (const [i, c] of (data.chapters as unknown[]).entries()) {
    if (!isRecord(c) || typeof c.chapter !== 'string' || typeof c.plan !== 'string') return bad(`chapters[${i}] must have a chapter and a plan`);
    // Relative to the index, so inside the book's own origin: never another host.
    if (/^[a-z][a-z0-9+.-]*:|^\/\/|\\/i.test(c.plan)) return bad(`chapters[${i}].plan must be a relative path`);
  }
  return { ok: true, value: data as unknown as PublishedIndex };
}
