import { chmodSync, lstatSync, readFileSync, rmSync, statSync, type Stats } from 'node:fs';
import { chmod, lstat, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { makeFolders } from './make-folders.ts';
import { OutputRefusedError } from './output-refused-error.ts';
import { tempFileBeside, writeFileAtomic, writeFileAtomicSync } from './write-file-atomic.ts';

/** The file in each output folder that lists what bookrun wrote there. */
export const MANIFEST_NAME = '.bookrun-manifest.json';

interface Manifest {
  version: 1;
  about: string;
  files: string[];
}

/** A file to write: its path relative to the folder (forward slashes) and, when known, its new content. */
export interface PlannedFile {
  file: string;
  data?: string | Uint8Array;
}

/**
 * A folder bookrun writes into. Its manifest lists every file bookrun wrote there; a file that exists
 * and is not listed is the author's (or another tool's), so it is never overwritten or deleted. The one
 * exception is a file with exactly the content bookrun would write: nothing is lost by writing it, so it
 * is taken over (gists committed before manifests existed).
 */
export interface OutputFolder {
  /** Absolute path. */
  readonly dir: string;
  /** Refuses ({@link OutputRefusedError}) the first planned file that exists and is not bookrun's. Call before writing any. */
  check(files: PlannedFile[]): Promise<void>;
  /**
   * Writes one file atomically (the manifest first, so a crash never leaves an unlisted file of ours). A file
   * that already holds exactly `data` is only listed, not rewritten.
   */
  write(file: string, data: string | Uint8Array): Promise<void>;
  /**
   * Writes several files, each atomically, listing them all in the manifest first (one manifest write for
   * the lot, not one per file). Refuses, before writing any, a file that exists and is not bookrun's.
   * `remove`: files bookrun wrote here that the lot replaces (a cache's older entries), deleted first and
   * unlisted in that same manifest write (one the manifest does not list is left alone).
   */
  writeAll(files: Array<{ file: string; data: string | Uint8Array }>, options?: { remove?: string[] }): Promise<void>;
  /** Deletes a file bookrun wrote here (one the manifest lists) and unlists it; any other file is left alone. */
  remove(file: string): Promise<void>;
  /**
   * A private temporary file beside `file` for another process to fill (bash writes its state dump there);
   * `commit` then moves it into place as `write` would, `discard` removes it.
   */
  reserve(file: string): Promise<{ temp: string; commit: () => Promise<void>; discard: () => Promise<void> }>;
  /** Files the manifest lists (relative, sorted). */
  listed(): string[];
  /**
   * Every file now in the folder (at any depth) is bookrun's: refuses the first that is not listed.
   * For writers that replace a whole folder (the site build empties it).
   */
  checkAll(): Promise<void>;
  /** Lists every file now in the folder as bookrun's (after a tool bookrun ran filled it). */
  adoptAll(): Promise<void>;
}

/** Options of {@link openOutputFolder}. */
export interface OutputFolderOptions {
  /** How messages name paths (default: relative to the current folder). */
  show?: (file: string) => string;
  /** What to tell the user to change when a file is refused (`pass --out another folder`). */
  instead: string;
  /** Folders 0700 and files 0600 (session state, reports: nobody else on the machine reads them). */
  private?: boolean;
  /**
   * The folder is bookrun's own (under `.bookrun/`): files found there before it had a manifest were
   * written by an older bookrun and are taken over. Never for a folder an author could write in.
   */
  adopt?: boolean;
  /**
   * False for a folder whose files may be lost to a power cut (a cache): writes are still atomic, but not
   * flushed to disk one by one. Default true.
   */
  durable?: boolean;
}

function defaultShow(file: string): string {
  const rel = path.relative(process.cwd(), file);
  if (rel === '') return '.';
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/**
 * How a folder's files are looked at, written and removed: through the thread pool (writes flushed to disk), or
 * synchronously for a folder whose files may be lost (a cache, `durable: false`; writes not flushed): its files
 * are small and come as a command ends, when the thread pool's round trips cost more than the work
 * (`npm run bench -- book`). The one place the folder's kind chooses how its I/O is done.
 */
interface FolderIo {
  readFile(file: string): Promise<Buffer>;
  /** The file a path names (through a symlink). */
  stat(file: string): Promise<Stats>;
  /** The path itself (a symlink, not what it points to). */
  lstat(file: string): Promise<Stats>;
  rm(file: string): Promise<void>;
  chmod(file: string, mode: number): Promise<void>;
  /** Writes a file atomically: flushed to disk through the thread pool; not flushed, synchronously, for a cache. */
  write(file: string, data: string | Uint8Array, mode: number): Promise<void>;
}

const threadPoolIo: FolderIo = {
  readFile: (file) => readFile(file),
  stat: (file) => stat(file),
  lstat: (file) => lstat(file),
  rm: (file) => rm(file, { force: true }),
  chmod: (file, mode) => chmod(file, mode),
  write: (file, data, mode) => writeFileAtomic(file, data, { mode }),
};

const syncIo: FolderIo = {
  readFile: async (file) => readFileSync(file),
  stat: async (file) => statSync(file),
  lstat: async (file) => lstatSync(file),
  rm: async (file) => rmSync(file, { force: true }),
  chmod: async (file, mode) => chmodSync(file, mode),
  write: async (file, data, mode) => writeFileAtomicSync(file, data, { mode }),
};

async function readManifest(io: FolderIo, file: string, show: (f: string) => string): Promise<Set<string>> {
  let text: string;
  try {
    text = (await io.readFile(file)).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
  try {
    const data = JSON.parse(text) as Partial<Manifest>;
    if (data.version === 1 && Array.isArray(data.files) && data.files.every((f) => typeof f === 'string')) return new Set(data.files);
  } catch {
    // reported below
  }
  throw new OutputRefusedError(show(file), 'is not a bookrun manifest (the list of files bookrun wrote in this folder): restore it, or delete the folder if nothing in it is yours');
}

async function walk(dir: string, prefix: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await walk(path.join(dir, entry.name), rel, out);
    else out.push(rel);
  }
}

/** Whether `file` (or the file a symlink there points to, as reading it does) holds exactly `data`; a file of another size is not read. */
async function sameContent(io: FolderIo, file: string, data: string | Uint8Array): Promise<boolean> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  try {
    const found = await io.stat(file);
    if (!found.isFile() || found.size !== bytes.length) return false;
    return Buffer.compare(await io.readFile(file), bytes) === 0;
  } catch {
    return false;
  }
}

async function exists(io: FolderIo, file: string): Promise<boolean> {
  try {
    await io.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens (and creates) an output folder and reads its manifest. Throws {@link OutputRefusedError} when the
 * manifest is not one. Does not check whether the folder may be written at all: the write guard does
 * that first (see `createWriteGuard`).
 */
export async function openOutputFolder(dir: string, options: OutputFolderOptions): Promise<OutputFolder> {
  const show = options.show ?? defaultShow;
  const folderMode = options.private ? 0o700 : 0o777;
  const fileMode = options.private ? 0o600 : 0o644;
  const manifestFile = path.join(dir, MANIFEST_NAME);
  const io = options.durable === false ? syncIo : threadPoolIo;
  const listed = await readManifest(io, manifestFile, show);
  if (options.adopt && listed.size === 0 && !(await exists(io, manifestFile))) {
    const found: string[] = [];
    await walk(dir, '', found);
    for (const rel of found) if (!rel.endsWith('.tmp')) listed.add(rel);
  }
  let created = false;
  const ensureFolder = async (folder: string) => {
    await makeFolders(folder, folderMode);
    if (options.private && !created) {
      await io.chmod(dir, 0o700);
      created = true;
    }
  };
  const put = (file: string, data: string | Uint8Array) => io.write(file, data, fileMode);
  const refuse = (file: string, reason: string) => new OutputRefusedError(show(path.join(dir, file)), `${reason}: ${options.instead}`);
  const normal = (file: string) => {
    const rel = file.split(path.sep).join('/');
    if (rel === MANIFEST_NAME) throw refuse(rel, 'is bookrun\'s manifest of this folder, not an output');
    if (path.posix.isAbsolute(rel) || rel.split('/').includes('..')) throw new Error(`bookrun bug: ${file} is not inside ${dir}`);
    return rel;
  };
  const mayWrite = async (rel: string, data?: string | Uint8Array) => {
    const target = path.join(dir, rel);
    if (listed.has(rel) || !(await exists(io, target))) return true;
    return data !== undefined && (await sameContent(io, target, data));
  };
  const saveManifest = async () => {
    const manifest: Manifest = {
      version: 1,
      about: 'The files bookrun wrote in this folder. bookrun overwrites only these; any other file here is never touched.',
      files: [...listed].sort(),
    };
    await put(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  };
  const list = async (rel: string) => {
    if (listed.has(rel)) return;
    listed.add(rel);
    await saveManifest();
  };
  const notOurs = 'exists and bookrun did not write it (it is not in this folder\'s .bookrun-manifest.json), so bookrun leaves it alone';

  return {
    dir,
    async check(files) {
      for (const { file, data } of files) {
        const rel = normal(file);
        if (!(await mayWrite(rel, data))) throw refuse(rel, notOurs);
      }
    },
    async write(file, data) {
      const rel = normal(file);
      const target = path.join(dir, rel);
      // Already exactly this: list it as bookrun's and leave the file (and its mtime) alone.
      if (await sameContent(io, target, data)) return list(rel);
      if (!(await mayWrite(rel, data))) throw refuse(rel, notOurs);
      await ensureFolder(path.dirname(target));
      await list(rel);
      await put(target, data);
    },
    async reserve(file) {
      const rel = normal(file);
      if (!(await mayWrite(rel))) throw refuse(rel, notOurs);
      const target = path.join(dir, rel);
      await ensureFolder(path.dirname(target));
      const temp = tempFileBeside(target);
      await (await open(temp, 'wx', fileMode)).close();
      return {
        temp,
        commit: async () => {
          await list(rel);
          await rename(temp, target);
        },
        discard: () => rm(temp, { force: true }),
      };
    },
    async writeAll(files, { remove = [] } = {}) {
      const plan = files.map(({ file, data }) => ({ rel: normal(file), data }));
      for (const { rel, data } of plan) if (!(await mayWrite(rel, data))) throw refuse(rel, notOurs);
      const writing = new Set(plan.map(({ rel }) => rel));
      // Deleted before the manifest drops them: a crash between leaves a listed file missing, never one unlisted.
      const gone = remove.map(normal).filter((rel) => listed.has(rel) && !writing.has(rel));
      await Promise.all(gone.map((rel) => io.rm(path.join(dir, rel))));
      for (const rel of gone) listed.delete(rel);
      const fresh = plan.filter(({ rel }) => !listed.has(rel));
      for (const { rel } of fresh) listed.add(rel);
      if (fresh.length > 0 || gone.length > 0) {
        await ensureFolder(dir);
        await saveManifest();
      }
      // Each file atomic on its own: they are written side by side.
      await Promise.all(
        plan.map(async ({ rel, data }) => {
          const target = path.join(dir, rel);
          if (await sameContent(io, target, data)) return;
          await ensureFolder(path.dirname(target));
          await put(target, data);
        }),
      );
    },
    async remove(file) {
      const rel = normal(file);
      if (!listed.has(rel)) return;
      await io.rm(path.join(dir, rel));
      listed.delete(rel);
      await saveManifest();
    },
    listed: () => [...listed].sort(),
    async checkAll() {
      const files: string[] = [];
      await walk(dir, '', files);
      for (const rel of files.sort()) {
        if (rel !== MANIFEST_NAME && !listed.has(rel)) throw refuse(rel, notOurs);
      }
    },
    async adoptAll() {
      const files: string[] = [];
      await walk(dir, '', files);
      for (const rel of files) if (rel !== MANIFEST_NAME) listed.add(rel);
      await ensureFolder(dir);
      await saveManifest();
    },
  };
}
