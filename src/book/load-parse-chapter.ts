import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { parseChapter as ParseChapter } from '../core/parse-chapter.ts';
import { parserBuildId } from './parser-build-id.ts';
import { setV8Flags } from './set-v8-flags.ts';
import { makePrivateFolder, userCacheDir } from './user-cache.ts';
import { writeFileAtomicSync } from './write-file-atomic.ts';

/**
 * Set at pack time (scripts/build-package.ts): where the parser's own bundle is, relative to the compiled chunk
 * this module is in (`../parser/parse-chapter.cjs`). Absent when running from the sources.
 */
declare const __BOOKRUN_PARSER_BUNDLE__: string | undefined;

/** The parser's bundle in the installed package, or null when running from the sources. */
export function parserBundle(): string | null {
  if (typeof __BOOKRUN_PARSER_BUNDLE__ !== 'string') return null;
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), __BOOKRUN_PARSER_BUNDLE__);
  return existsSync(file) ? file : null;
}

/**
 * Where V8's code for the parser is kept: `code/` in the user's own cache folder ({@link userCacheDir}), never
 * the book's: a book's folder can come from anyone (a clone), and this is code the process runs. Null with
 * `BOOKRUN_CACHE=off`.
 */
export function codeCacheDir(): string | null {
  const dir = userCacheDir();
  return dir && path.join(dir, 'code');
}

/** The code file for this build of the parser, this Node and this machine (V8 checks them too, and refuses a misfit). */
function codeFileName(): string {
  return `parse-chapter-${createHash('sha256').update(`${parserBuildId()}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 24)}.bin`;
}

let loaded: Promise<typeof ParseChapter> | null = null;
/** The parser's script, while its code is not kept yet. */
let unsaved: vm.Script | null = null;

/**
 * `parseChapter`, loaded once per process. From the sources it is the ES module. Compiled, it is the parser's
 * own CommonJS bundle (`src/core` is pure, so a second copy of its code shares nothing it should not), run
 * through `vm.Script` with V8's code as an earlier process compiled it ({@link saveParserCode}): a process
 * that parses one chapter (a re-plan after an edit) then neither compiles the parser's third of a MB nor walks
 * the ES module loader through its chunks (`npm run bench -- book`). Code V8 does not take (another version,
 * other flags, a damaged file) is compiled afresh and kept anew.
 */
export function loadParseChapter(): Promise<typeof ParseChapter> {
  loaded ??= (async () => {
    const bundle = parserBundle();
    if (!bundle) return (await import('../core/parse-chapter.ts')).parseChapter;
    // Under the flags every process ends up with: V8 refuses code made under other flags.
    setV8Flags();
    const dir = codeCacheDir();
    let cachedData: Buffer | undefined;
    try {
      if (dir) cachedData = readFileSync(path.join(dir, codeFileName()));
    } catch {
      // none yet: compiled, and kept at the end of the command
    }
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`, { filename: bundle, cachedData });
    const module = { exports: {} as { parseChapter?: typeof ParseChapter } };
    (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
    const parseChapter = module.exports.parseChapter;
    if (typeof parseChapter !== 'function') throw new Error(`bookrun: ${bundle} does not export parseChapter: reinstall bookrun`);
    if (dir && (cachedData === undefined || script.cachedDataRejected)) unsaved = script;
    return parseChapter;
  })();
  return loaded;
}

/**
 * Keeps V8's code for the parser, once a command has parsed what it parses (the code then holds every function
 * that ran, not only the top level): written atomically into the user's cache folder (0700, the file 0600),
 * replacing the code of other builds. Never fails a command: a folder it cannot write is skipped.
 */
export function saveParserCode(): void {
  const script = unsaved;
  unsaved = null;
  const dir = codeCacheDir();
  if (!script || !dir) return;
  try {
    makePrivateFolder(dir);
    const name = codeFileName();
    writeFileAtomicSync(path.join(dir, name), script.createCachedData(), { mode: 0o600 });
    for (const file of readdirSync(dir)) if (file !== name && /^parse-chapter-[0-9a-f]+\.bin$/.test(file)) rmSync(path.join(dir, file), { force: true });
  } catch (error) {
    if (process.env.BOOKRUN_DEBUG) console.error(`bookrun: the parser's code was not kept: ${(error as Error).message}`);
  }
}
