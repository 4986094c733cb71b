import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BookConfig } from '../core/book-config.ts';
import type { Root } from 'mdast';
import type { MarkdownCache } from '../core/markdown-cache.ts';
import type { Chapter } from '../core/model.ts';
import type { ShellParser, ShellParseResult } from '../core/shell-parser.ts';
import { saveBookConfig } from './config-cache.ts';
import { BOOKRUN_DIR } from './ensure-bookrun-folder.ts';
import { saveParserCode } from './load-parse-chapter.ts';
import { parserBuildId } from './parser-build-id.ts';
import { userCacheKey } from './user-cache.ts';
import type { Book } from './read-book.ts';

/** Where the parsed chapters are kept, under the book's root. */
export const CHAPTER_CACHE_DIR = path.join(BOOKRUN_DIR, 'cache', 'chapters');

/**
 * Parsed chapters kept between commands, by content: a chapter whose text, book settings and parser are
 * those of a cached parse is not parsed again (re-planning a book after one chapter changed parses that
 * one). Entries are written through the write guard (bookrun's own folder under `.bookrun/`, its manifest,
 * atomic writes), one per chapter: a new parse of a chapter replaces its older entry. The cache never fails
 * a command: an entry it cannot read is a miss, one it cannot write is skipped.
 */
export interface ChapterCache {
  /**
   * The cached parse of chapter `key` whose file holds exactly `bytes` (its text is `text`, decoded only
   * when asked: a hit never decodes twice), or null.
   */
  get(key: string, bytes: Uint8Array, text: () => string): Promise<Chapter | null>;
  /**
   * The trees of chapter `key`'s sections from its last parse, for the parser to take the unchanged ones
   * from (`parseChapter`'s `markdownCache`): an edited chapter parses only the sections that changed.
   */
  sections(key: string): Promise<SectionCache>;
  /**
   * Keeps a parse of the chapter whose file holds `bytes` (and the trees of its sections), to be written by
   * {@link ChapterCache.flush}.
   */
  put(key: string, bytes: Uint8Array, chapter: Chapter, sections?: SectionCache): void;
  /**
   * What a command made of chapter `key` whose file holds exactly `bytes` (a view: the printed plan of a
   * variant), by `name` (everything else it depends on: the variants, the book config, the output form), or
   * null. A command that finds every chapter's view needs no chapter's parse.
   */
  getView(key: string, bytes: Uint8Array, name: string): Promise<string | null>;
  /** Keeps a view of the chapter whose file holds `bytes`, to be written by {@link ChapterCache.flush}. */
  putView(key: string, bytes: Uint8Array, name: string, text: string): void;
  /**
   * Writes every entry kept so far, all at once (one manifest write). The CLI flushes after a command that
   * ran (`flushChapterCaches`); a command refused for bad input writes nothing, not even its cache.
   */
  flush(): Promise<void>;
}

/** A chapter's section trees and shell parses: what the parser read and parsed, kept for the chapter's next parse. */
export interface SectionCache extends MarkdownCache {
  /** The trees of the sections of the last parse, by the sha256 of their text. */
  used(): Record<string, Root>;
  /**
   * A shell parser that answers for a script the last parse of the chapter parsed (same text, same
   * result: the parse is a function of the text) and asks `load()`'s parser for any other, loading it only
   * then: an edit to a chapter's prose never starts the shell parser's WASM.
   */
  shell(load: () => Promise<ShellParser>): ShellParser;
  /** The shell parses of this parse, by the sha256 of the script. */
  usedShells(): Record<string, ShellParseResult>;
}

/** Every cache with entries not written yet. */
const pending = new Set<ChapterCache>();

/**
 * Writes what every chapter cache of this process kept, and what it keeps in the user's cache folder: V8's code
 * for the parser when it compiled the parser, the data of a book config it parsed (the CLI calls it once a
 * command has run).
 */
export async function flushChapterCaches(): Promise<void> {
  const caches = [...pending];
  pending.clear();
  // One after another: caches of one book share a folder, and a later one's entries replace an earlier one's.
  for (const cache of caches) await cache.flush();
  saveParserCode();
  saveBookConfig();
}

/** The settings of a book config that change how its chapters parse (and its path, which messages name): everything but what only exporters, CI and lint read. */
function parseSettings(config: BookConfig): string {
  const { title: _title, chapters: _chapters, chaptersFile: _list, gists: _gists, setupGists: _setup, gistsDir: _dir, leanpub: _leanpub, ci: _ci, reportsDir: _reports, headingCase: _case, ...rest } = config;
  return JSON.stringify(rest);
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The first part of every entry's name for `key` (a chapter): by the user's cache key, so only entries this
 * user's bookrun wrote are ever looked up (see {@link userCacheKey}).
 */
function prefixOf(secret: string, key: string): string {
  return sha(`${secret}\0${key}`).slice(0, 16);
}

/** The file of a chapter's section trees (one per chapter, replaced on each parse). */
interface SectionsEntry {
  version: 1;
  key: string;
  build: string;
  trees: Record<string, Root>;
  shells?: Record<string, ShellParseResult>;
}

/** A cached parse: the chapter without its `lines`, which are its text's (rebuilt on reading, as the parser splits them). */
interface Entry {
  version: 1;
  key: string;
  chapter: Omit<Chapter, 'lines'>;
}

/**
 * The cache of `book`'s chapters (null when `BOOKRUN_CACHE=off`, or when the user's cache key cannot be kept: see
 * {@link userCacheKey}). Entries are read synchronously: they are small local files, and a command reads one or two
 * per chapter, where a thread-pool round trip each cost more than the reads (`npm run bench -- book`).
 */
export function createChapterCache(book: Book): ChapterCache | null {
  const secret = userCacheKey();
  if (!secret) return null;
  const dir = path.join(book.root, CHAPTER_CACHE_DIR);
  const salt = `${secret}\0${parserBuildId()}\0${parseSettings(book.config)}`;
  const prefix = (key: string) => prefixOf(secret, key);
  const sectionsOf = (key: string) => `${prefix(key)}-sections.json`;
  const contentOf = (key: string, bytes: Uint8Array) => `${prefix(key)}-${createHash('sha256').update(`${salt}\0${key}\0`).update(bytes).digest('hex').slice(0, 32)}`;
  const nameOf = (key: string, bytes: Uint8Array) => `${contentOf(key, bytes)}.json`;
  const viewOf = (key: string, bytes: Uint8Array, name: string) => `${contentOf(key, bytes)}-view-${sha(name).slice(0, 16)}.txt`;
  let queue: Array<{ key: string; content: string; file: string; data: string }> = [];
  const write = async (batch: typeof queue) => {
    try {
      // Loaded only when there is something to write: a command served from the cache never pays for it.
      const { createWriteGuard } = await import('./create-write-guard.ts');
      const out = await createWriteGuard(book).openFolder(dir, { flag: `the cache (${CHAPTER_CACHE_DIR}; delete it at any time)`, private: true, durable: false });
      // A chapter written anew drops its entries for other bytes (its parse and view of an older text), and a
      // new view of a chapter its older view (one per chapter: the cache stays the size of the book).
      const kept = new Set(batch.map((b) => b.file));
      const isStale = (f: string) =>
        batch.some((b) => f.startsWith(`${prefix(b.key)}-`) && (!(f.startsWith(`${b.content}.`) || f.startsWith(`${b.content}-`)) || (f.includes('-view-') && b.file.includes('-view-'))));
      // An older bookrun's config entry (the config's data now lives in the user's cache folder) goes too.
      const stale = out.listed().filter((f) => !kept.has(f) && (f.endsWith('-config.json') || (!f.endsWith('-sections.json') && isStale(f))));
      await out.writeAll(batch.map(({ file, data }) => ({ file, data })), { remove: stale });
    } catch (error) {
      if (process.env.BOOKRUN_DEBUG) console.error(`bookrun: cache not written: ${(error as Error).message}`);
    }
  };
  const cache: ChapterCache = {
    async get(key, bytes, text) {
      let entry: Partial<Entry>;
      try {
        entry = JSON.parse(readFileSync(path.join(dir, nameOf(key, bytes)), 'utf8')) as Partial<Entry>;
      } catch {
        return null;
      }
      if (entry.version !== 1 || entry.key !== key || !entry.chapter || !Array.isArray(entry.chapter.steps)) return null;
      return { ...entry.chapter, lines: text().split(/\r?\n/) } as Chapter;
    },
    async sections(key) {
      let kept: Record<string, Root> = {};
      let keptShells: Record<string, ShellParseResult> = {};
      try {
        const entry = JSON.parse(readFileSync(path.join(dir, sectionsOf(key)), 'utf8')) as Partial<SectionsEntry>;
        if (entry.version === 1 && entry.key === key && entry.build === parserBuildId() && entry.trees && typeof entry.trees === 'object') {
          kept = entry.trees;
          if (entry.shells && typeof entry.shells === 'object') keptShells = entry.shells;
        }
      } catch {
        // none yet, or unreadable: every section is parsed
      }
      const used: Record<string, Root> = {};
      const usedShells: Record<string, ShellParseResult> = {};
      return {
        shell(load) {
          let parser: Promise<ShellParser> | undefined;
          if (Object.keys(keptShells).length === 0) {
            // A first parse needs the parser for every script: load it beside remark, as without a cache.
            parser = load();
            parser.catch(() => {}); // awaited by the first parse; a failure is reported there
          }
          return {
            async parse(script) {
              const id = sha(script);
              const result = keptShells[id] ?? (await (await (parser ??= load())).parse(script));
              usedShells[id] = result;
              return result;
            },
          };
        },
        usedShells: () => usedShells,
        get(text) {
          const id = sha(text);
          const tree = kept[id];
          if (tree) used[id] = tree;
          return tree;
        },
        set(text, tree) {
          used[sha(text)] = tree;
        },
        used: () => used,
      };
    },
    put(key, bytes, chapter, sections) {
      const { lines: _lines, ...rest } = chapter;
      const entry: Entry = { version: 1, key, chapter: rest };
      const content = contentOf(key, bytes);
      queue.push({ key, content, file: `${content}.json`, data: JSON.stringify(entry) });
      const trees = sections?.used();
      if (trees && Object.keys(trees).length > 0) {
        const kept: SectionsEntry = { version: 1, key, build: parserBuildId(), trees, shells: sections!.usedShells() };
        queue.push({ key, content, file: sectionsOf(key), data: JSON.stringify(kept) });
      }
      pending.add(cache);
    },
    async getView(key, bytes, name) {
      try {
        return readFileSync(path.join(dir, viewOf(key, bytes, name)), 'utf8');
      } catch {
        return null;
      }
    },
    putView(key, bytes, name, text) {
      queue.push({ key, content: contentOf(key, bytes), file: viewOf(key, bytes, name), data: text });
      pending.add(cache);
    },
    async flush() {
      const batch = queue;
      queue = [];
      if (batch.length > 0) await write(batch);
    },
  };
  return cache;
}
