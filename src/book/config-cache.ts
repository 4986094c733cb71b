import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { parserBuildId } from './parser-build-id.ts';
import { makePrivateFolder, userCacheDir, userCacheKey } from './user-cache.ts';
import { writeFileAtomicSync } from './write-file-atomic.ts';

/** How many configs are kept (one per config text: a few per book an author works on); the least recently used go first. */
const KEPT = 32;

/** The entry to write once the command has run (see {@link saveBookConfig}). */
let pending: { dir: string; file: string; data: string } | null = null;

/** Whether `value` survives JSON as it is (YAML's `.inf`, `.nan` do not): only such config data is kept. */
function isJsonSafe(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonSafe);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(isJsonSafe);
  return false;
}

/**
 * The folder and file of the entry for the config whose text is `text`: `config/` in the user's cache folder,
 * named by a sha256 of the user's cache key, bookrun's build (validation may change) and the text. Null when
 * there is no cache (`BOOKRUN_CACHE=off`, or no key can be kept).
 */
function entryOf(text: string): { dir: string; file: string } | null {
  const root = userCacheDir();
  const secret = userCacheKey();
  if (!root || !secret) return null;
  const dir = path.join(root, 'config');
  const name = createHash('sha256').update(`${secret}\0${parserBuildId()}\0${text}`).digest('hex').slice(0, 32);
  return { dir, file: path.join(dir, `${name}.json`) };
}

/**
 * The data of a book config whose text is exactly `text`, as a command of this build parsed it (it was valid
 * then), or undefined: the YAML parser (a quarter of a MB of JavaScript) is then loaded to parse it. Kept in
 * the user's own cache folder, not in the book's `.bookrun/`: it depends on the text alone, so a book whose
 * `.bookrun/` was deleted, or another clone of it, finds it too. Read synchronously: it comes before anything
 * else can run.
 */
export function readCachedBookConfig(text: string): unknown {
  const entry = entryOf(text);
  if (!entry) return undefined;
  let kept: { version?: number; data?: unknown };
  try {
    kept = JSON.parse(readFileSync(entry.file, 'utf8')) as { version?: number; data?: unknown };
  } catch {
    return undefined;
  }
  if (kept.version !== 1) return undefined;
  // Used now: the newest to be dropped (see saveBookConfig).
  try {
    const now = new Date();
    utimesSync(entry.file, now, now);
  } catch {
    // a folder it cannot write: the entry is still good
  }
  return kept.data;
}

/**
 * Keeps the data of the book config whose text is `text` (valid; JSON-safe data only), to be written by
 * {@link saveBookConfig} once the command has run.
 */
export function keepBookConfig(text: string, data: unknown): void {
  if (!isJsonSafe(data)) return;
  const entry = entryOf(text);
  if (entry) pending = { ...entry, data: JSON.stringify({ version: 1, data }) };
}

/**
 * Writes the config kept by {@link keepBookConfig}, atomically (folder 0700, file 0600), and removes the least
 * recently used entries beyond 32 (a hit marks its entry used), never the one just written. Never fails a
 * command: a folder it cannot write is skipped.
 */
export function saveBookConfig(): void {
  const entry = pending;
  pending = null;
  if (!entry) return;
  try {
    makePrivateFolder(entry.dir);
    writeFileAtomicSync(entry.file, entry.data, { mode: 0o600 });
  } catch (error) {
    if (process.env.BOOKRUN_DEBUG) console.error(`bookrun: the book config was not kept: ${(error as Error).message}`);
    return;
  }
  try {
    const name = path.basename(entry.file);
    const others = readdirSync(entry.dir).filter((f) => f !== name && /^[0-9a-f]{32}\.json$/.test(f));
    if (others.length < KEPT) return;
    // Oldest use first, ties by name; an entry another process removed meanwhile is gone already.
    const byUse = others
      .map((f) => ({ f, at: statSync(path.join(entry.dir, f), { throwIfNoEntry: false })?.mtimeMs ?? -Infinity }))
      .sort((a, b) => a.at - b.at || a.f.localeCompare(b.f));
    for (const { f } of byUse.slice(0, others.length - (KEPT - 1))) rmSync(path.join(entry.dir, f), { force: true });
  } catch (error) {
    if (process.env.BOOKRUN_DEBUG) console.error(`bookrun: older book configs were not removed: ${(error as Error).message}`);
  }
}
