import { digestStep } from './digest-step.ts';
import { MAX_TERMINALS_PER_SESSION } from './terminal-protocol.ts';
import { PUBLISHED_PLAN_VERSION, type PublishedPlan, type PublishedStep } from './published-plan.ts';

/** Parsed JSON read as a published file: the data, typed, or what is wrong with it (the first bad field). */
export type PublishedParse<T> = { ok: true; value: T } | { ok: false; message: string };

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isNullOr = <T>(v: unknown, check: (x: unknown) => x is T): v is T | null => v === null || check(v);

class Bad extends Error {}

function need(ok: boolean, what: string): void {
  if (!ok) throw new Bad(what);
}

function checkStep(step: unknown, at: string, variants: ReadonlySet<string>): PublishedStep {
  need(isRecord(step), `${at} is not an object`);
  const s = step as Json;
  need(isString(s.id) && /^[A-Za-z0-9_.:-]{1,64}$/.test(s.id), `${at}.id is not a step id`);
  need(isInt(s.line, 1) && isInt(s.endLine, 1), `${at}.line is not a line number`);
  need(isString(s.command) && s.command.trim() !== '', `${at}.command is not a command`);
  // The digest is what pages send with Run: one that does not fit its command is a damaged (or edited) file.
  need(s.digest === digestStep(s.command as string), `${at}.digest does not match its command`);
  need(isInt(s.block, 0), `${at}.block is not a block index`);
  need(isNullOr(s.section, isString), `${at}.section is not text`);
  need(isInt(s.terminal, 1, MAX_TERMINALS_PER_SESSION), `${at}.terminal is not 1 to ${MAX_TERMINALS_PER_SESSION}`);
  need(typeof s.watch === 'boolean' && typeof s.eventually === 'boolean' && typeof s.teardown === 'boolean', `${at}: watch, eventually and teardown must be true or false`);
  need(s.watchReason === null || s.watchReason === 'flag' || s.watchReason === 'ctrl-c' || s.watchReason === 'prose', `${at}.watchReason is unknown`);
  need(isNullOr(s.retryWhile, isString), `${at}.retryWhile is not text`);
  need(isStrings(s.placeholders) && isStrings(s.uses), `${at}: placeholders and uses must be lists of names`);
  need(isNullOr(s.condition, isString), `${at}.condition is not text`);
  need(s.variants === null || (isStrings(s.variants) && s.variants.every((v) => variants.has(v))), `${at}.variants names a variant the plan does not have`);
  const e = s.expect;
  need(e === null || (isRecord(e) && isInt(e.line, 1) && isString(e.text) && isNullOr(e.lang, isString) && (e.source === 'fence' || e.source === 'pasted')), `${at}.expect is not an expected output`);
  need(e === null || ((e as Json).similarity === undefined || typeof (e as Json).similarity === 'number') && ((e as Json).pattern === undefined || isString((e as Json).pattern)), `${at}.expect has a bad similarity or pattern`);
  const a = s.annotations;
  need(isRecord(a), `${at}.annotations is not an object`);
  const an = a as Json;
  need(an.until === undefined || isString(an.until), `${at}.annotations.until is not a pattern`);
  need(an.capture === undefined || (isRecord(an.capture) && Object.values(an.capture).every(isString)), `${at}.annotations.capture is not NAME → pattern`);
  need(an.timeoutMs === undefined || isInt(an.timeoutMs, 1), `${at}.annotations.timeoutMs is not a duration`);
  need(an.exitCode === undefined || isInt(an.exitCode, 0, 255), `${at}.annotations.exitCode is not an exit status`);
  need(an.cwd === undefined || isString(an.cwd), `${at}.annotations.cwd is not a folder`);
  need(an.input === undefined || isStrings(an.input), `${at}.annotations.input is not a list of replies`);
  need(an.name === undefined || isString(an.name), `${at}.annotations.name is not text`);
  need(an.skip === undefined || typeof an.skip === 'boolean', `${at}.annotations.skip is not true or false`);
  need(an.teardown === undefined || typeof an.teardown === 'boolean', `${at}.annotations.teardown is not true or false`);
  return step as unknown as PublishedStep;
}

/**
 * Checks a chapter's published plan (JSON fetched from a book's origin) before a terminal uses it: the shape
 * every field the executor and the judge read, the terminals in range, each digest the digest of its command,
 * step ids unique. Unknown fields are ignored (a newer build may add some). Pure.
 */
export function parsePublishedPlan(data: unknown): PublishedParse<PublishedPlan> {
  try {
    need(isRecord(data), 'not a published plan: expected a JSON object');
    const d = data as Json;
    need(d.version === PUBLISHED_PLAN_VERSION, `published plan version ${JSON.stringify(d.version)}: this bookrun reads version ${PUBLISHED_PLAN_VERSION} (update bookrun)`);
    const chapter = d.chapter;
    need(isRecord(chapter) && isString(chapter.file) && isString(chapter.title), 'chapter must have a file and a title');
    need(Array.isArray(d.variants) && d.variants.length > 0, 'variants must be a non-empty list');
    const variants = d.variants as unknown[];
    for (const [i, v] of variants.entries()) {
      need(isRecord(v) && isString(v.name) && isRecord(v.values) && Object.values(v.values).every(isString), `variants[${i}] is not a variant`);
    }
    const names = new Set(variants.map((v) => (v as Json).name as string));
    need(Array.isArray(d.steps), 'steps must be a list');
    const ids = new Set<string>();
    const steps = (d.steps as unknown[]).map((s, i) => {
      const step = checkStep(s, `steps[${i}]`, names);
      need(!ids.has(step.id), `steps[${i}].id ${step.id} is there twice`);
      ids.add(step.id);
      return step;
    });
    need(Array.isArray(d.placeholders) && (d.placeholders as unknown[]).every((p) => isRecord(p) && isString(p.name) && isInt(p.line, 1)), 'placeholders must be a list of names and lines');
    return { ok: true, value: { ...(data as unknown as PublishedPlan), steps } };
  } catch (error) {
    if (error instanceof Bad) return { ok: false, message: error.message };
    throw error;
  }
}
