/**
 * The chapter cache under .bookrun/cache/chapters: a parse served from it is the parse; a changed chapter,
 * setting or parser is parsed again; its files go through the write guard; it never fails a command.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CHAPTER_CACHE_DIR, createChapterCache, flushChapterCaches } from './chapter-cache.ts';
import { shSyntaxParser } from './sh-syntax-parser.ts';
import { parseChapter } from '../core/parse-chapter.ts';
import { MANIFEST_NAME } from './open-output-folder.ts';
import { readBookChapter } from './read-book-chapter.ts';
import { readBook } from './read-book.ts';
import { runBookrun } from '../testing/run-bookrun.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'leanpub-book');
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const CONFIG = 'chapters: manuscript/Book.txt\nvariants:\n  dimensions:\n    cloud: [gke, eks, aks]\n    flavor: [static, serverless]\nconditions:\n  aliases:\n    tekton: serverless\n';

function book(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-cache-'));
  made.push(dir);
  copyFixture(fixture, dir);
  writeFileSync(path.join(dir, 'bookrun.yaml'), CONFIG);
  return dir;
}

function entries(dir: string): string[] {
  const cache = path.join(dir, CHAPTER_CACHE_DIR);
  return existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.json') && f !== MANIFEST_NAME && !f.endsWith('-sections.json')).sort() : [];
}


async function open(dir: string, key: string) {
  const b = await readBook({ cwd: dir });
  return readBookChapter(b, path.join(dir, key), key);
}

describe('the chapter cache', () => {
  it('serves a parse equal to a fresh one, from files the guard wrote and lists', async () => {
    const dir = book();
    const fresh = await open(dir, 'manuscript/03-canary.md');
    await flushChapterCaches();
    expect(entries(dir)).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(path.join(dir, CHAPTER_CACHE_DIR, MANIFEST_NAME), 'utf8')) as { files: string[] };
    expect(manifest.files).toEqual([...entries(dir), entries(dir)[0]!.replace(/-[0-9a-f]+\.json$/, '-sections.json')].sort());
    expect(readFileSync(path.join(dir, '.bookrun', '.gitignore'), 'utf8')).toContain('*');
    const cached = await open(dir, 'manuscript/03-canary.md');
    expect(cached.chapter).toEqual(fresh.chapter);
    expect(cached.text).toBe(fresh.text);
    expect(cached.sha256).toBe(fresh.sha256);
  });

  it('parses a changed chapter again and keeps one entry per chapter', async () => {
    const dir = book();
    await open(dir, 'manuscript/03-canary.md');
    await flushChapterCaches();
    const before = entries(dir);
    appendFileSync(path.join(dir, 'manuscript', '03-canary.md'), '\n```bash\nkubectl get canaries\n```\n');
    const changed = await open(dir, 'manuscript/03-canary.md');
    expect(changed.chapter.steps.at(-1)!.command).toBe('kubectl get canaries');
    await flushChapterCaches();
    expect(entries(dir)).toHaveLength(1);
    expect(entries(dir)).not.toEqual(before);
    // Parsed from the sections kept (the part line, the title and its text, two sections: all but the last, which changed), it is the chapter parsed whole.
    process.env.BOOKRUN_CACHE = 'off';
    try {
      expect(changed.chapter).toEqual((await open(dir, 'manuscript/03-canary.md')).chapter);
    } finally {
      delete process.env.BOOKRUN_CACHE;
    }
    const sections = readdirSync(path.join(dir, CHAPTER_CACHE_DIR)).filter((f) => f.endsWith('-sections.json'));
    expect(sections).toHaveLength(1);
    const kept = JSON.parse(readFileSync(path.join(dir, CHAPTER_CACHE_DIR, sections[0]!), 'utf8')) as { trees: Record<string, unknown> };
    expect(Object.keys(kept.trees)).toHaveLength(4);
  });

  it('parses again when a setting that changes the parse changes (an alias), not for one that does not (the title)', async () => {
    const dir = book();
    const first = await open(dir, 'manuscript/05-serverless.md');
    await flushChapterCaches();
    expect(first.chapter.steps.find((s) => s.condition?.source.includes('tekton'))!.condition!.unknown).toEqual([]);
    writeFileSync(path.join(dir, 'bookrun.yaml'), `title: Renamed\n${CONFIG}`);
    await open(dir, 'manuscript/05-serverless.md');
    await flushChapterCaches();
    expect(entries(dir)).toHaveLength(1);
    writeFileSync(path.join(dir, 'bookrun.yaml'), CONFIG.replace('    tekton: serverless\n', '    pipelines: serverless\n'));
    const again = await open(dir, 'manuscript/05-serverless.md');
    expect(again.chapter.steps.find((s) => s.condition?.source.includes('tekton'))!.condition!.unknown).toEqual(['tekton']);
  });

  it('takes an entry it cannot read for a miss, and a cache it cannot write for none', async () => {
    const dir = book();
    const fresh = await open(dir, 'manuscript/04-metrics.md');
    await flushChapterCaches();
    const [entry] = entries(dir);
    writeFileSync(path.join(dir, CHAPTER_CACHE_DIR, entry!), '{"version":1,"key":"manuscript/04-metrics.md","chapter":');
    expect((await open(dir, 'manuscript/04-metrics.md')).chapter).toEqual(fresh.chapter);
    // A folder that cannot be written (root ignores permissions, so a file stands where the folder would be).
    const other = book();
    writeFileSync(path.join(other, '.bookrun'), 'not a folder');
    const plan = await runBookrun(['plan', 'manuscript/04-metrics.md'], other);
    expect(plan.code, plan.stderr).toBe(0);
    expect(readFileSync(path.join(other, '.bookrun'), 'utf8')).toBe('not a folder');
  });

  it('is not used with BOOKRUN_CACHE=off, and a command refused for bad input writes none', async () => {
    const dir = book();
    expect((await runBookrun(['plan', 'manuscript/03-canary.md'], dir, { env: { BOOKRUN_CACHE: 'off' } })).code).toBe(0);
    expect(existsSync(path.join(dir, '.bookrun'))).toBe(false);
    const refused = await runBookrun(['plan', 'manuscript/03-canary.md', '--variant', 'kind-static'], dir);
    expect(refused.code).toBe(2);
    expect(existsSync(path.join(dir, '.bookrun'))).toBe(false);
    expect((await runBookrun(['plan', 'manuscript/03-canary.md'], dir)).code).toBe(0);
    expect(entries(dir)).toHaveLength(1);
  });

  it('prints bookrun plan of the whole book from the views it kept, as a fresh plan does, and plans a changed chapter again', async () => {
    const dir = book();
    const views = () => readdirSync(path.join(dir, CHAPTER_CACHE_DIR)).filter((f) => f.includes('-view-')).sort();
    const plan = async (cache?: 'off') => {
      const r = await runBookrun(['plan', '--variant', 'all'], dir, { env: { BOOKRUN_CACHE: cache } });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    const fresh = await plan('off');
    expect(fresh).toMatch(/03-canary\.md|Canary/);
    expect(await plan()).toBe(fresh);
    const first = views();
    expect(first).toHaveLength(entries(dir).length);
    // Served from the views: the same bytes printed again, and no view written anew.
    expect(await plan()).toBe(fresh);
    expect(views()).toEqual(first);
    // One chapter changes (a teardown section with a command): it alone is planned again, its old view gone.
    appendFileSync(path.join(dir, 'manuscript', '04-metrics.md'), '\n## Cleaning Up\n\n```bash\nkubectl delete namespace metrics\n```\n');
    const changed = await plan();
    expect(changed).toContain('kubectl delete namespace metrics');
    expect(changed).toBe(await plan('off'));
    expect(views()).toHaveLength(first.length);
    expect(views().filter((v) => !first.includes(v))).toHaveLength(1);
    // Another variant set replaces the chapter's view; a setting that changes no parse still changes the view (the whole config names it).
    const one = await runBookrun(['plan', '--variant', 'eks-serverless'], dir);
    expect(one.stdout).toBe((await runBookrun(['plan', '--variant', 'eks-serverless'], dir, { env: { BOOKRUN_CACHE: 'off' } })).stdout);
    expect(views()).toHaveLength(first.length);
    writeFileSync(path.join(dir, 'bookrun.yaml'), `${CONFIG}run:\n  teardownSections: ['^nothing here$']\n`);
    expect(await plan()).toBe(await plan('off'));
    // An image a chapter shows goes missing, and comes back: the view follows (its diagnostics name it).
    const image = path.join(dir, 'manuscript', 'images', 'first-app.png');
    const png = readFileSync(image);
    rmSync(image);
    const without = await plan();
    expect(without).toBe(await plan('off'));
    expect(without).not.toBe(await (async () => (writeFileSync(image, png), plan()))());
    expect(await plan()).toBe(await plan('off'));
  });

  it('keeps the shell parses with the section trees: a prose edit parses no script again, a new script loads the parser', async () => {
    const dir = book();
    const key = 'manuscript/03-canary.md';
    const file = path.join(dir, key);
    let loads = 0;
    const load = async () => {
      loads += 1;
      return shSyntaxParser;
    };
    // What readBookChapter does on a miss, with the parser's loads counted.
    const parse = async () => {
      const b = await readBook({ cwd: dir });
      const cache = createChapterCache(b)!;
      const bytes = readFileSync(file);
      const sections = await cache.sections(key);
      const chapter = await parseChapter(bytes.toString('utf8'), { file: key, config: b.config, shell: sections.shell(load), markdownCache: sections });
      cache.put(key, bytes, chapter, sections);
      await cache.flush();
      return chapter;
    };
    const first = await parse();
    expect(loads).toBe(1);
    expect(first.steps.length).toBeGreaterThan(2);
    appendFileSync(file, '\nOne more paragraph of prose, and no command in it.\n');
    const prose = await parse();
    expect(loads).toBe(1);
    expect(prose.steps).toEqual(first.steps);
    appendFileSync(file, '\n```bash\nkubectl get canaries --all-namespaces\n```\n');
    const script = await parse();
    expect(loads).toBe(2);
    expect(script.steps.at(-1)!.command).toBe('kubectl get canaries --all-namespaces');
    // Each is the chapter parsed whole, without the cache.
    process.env.BOOKRUN_CACHE = 'off';
    try {
      expect(script).toEqual((await open(dir, key)).chapter);
    } finally {
      delete process.env.BOOKRUN_CACHE;
    }
  });
  it('keeps the book config it found valid in the user\'s cache folder, by its text: the same text served from it in any book, a changed one read anew with its errors at their lines', async () => {
    const dir = book();
    const saved = process.env.XDG_CACHE_HOME;
    const userCache = mkdtempSync(path.join(os.tmpdir(), 'bookrun-user-cache-'));
    made.push(userCache);
    process.env.XDG_CACHE_HOME = userCache;
    const configDir = path.join(userCache, 'bookrun', 'config');
    const kept = () => (existsSync(configDir) ? readdirSync(configDir).sort() : []);
    try {
      const parsed = await readBook({ cwd: dir });
      expect(kept()).toEqual([]);
      await flushChapterCaches();
      const [entry] = kept();
      expect(kept()).toHaveLength(1);
      expect(statSync(configDir).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(configDir, entry!)).mode & 0o777).toBe(0o600);
      const file = path.join(configDir, entry!);
      const data = JSON.parse(readFileSync(file, 'utf8'));
      expect(data.data.conditions.aliases).toEqual({ tekton: 'serverless' });
      // Nothing of it in the book's folder.
      expect(existsSync(path.join(dir, CHAPTER_CACHE_DIR)) ? readdirSync(path.join(dir, CHAPTER_CACHE_DIR)).filter((f) => f.includes('config')) : []).toEqual([]);
      // Served from the entry: the same config. An entry that says otherwise proves it was read, in another
      // book with the same text too (its .bookrun/ never made).
      expect((await readBook({ cwd: dir })).config).toEqual(parsed.config);
      writeFileSync(file, JSON.stringify({ ...data, data: { ...data.data, title: 'From the cache' } }));
      expect((await readBook({ cwd: dir })).config.title).toBe('From the cache');
      const other = book();
      expect((await readBook({ cwd: other })).config.title).toBe('From the cache');
      // An entry whose data this build finds invalid is not trusted: the text is parsed again.
      writeFileSync(file, JSON.stringify({ ...data, data: { ...data.data, variants: 'nonsense' } }));
      expect((await readBook({ cwd: dir })).config).toEqual(parsed.config);
      await flushChapterCaches();
      // A changed config is read anew: a YAML error and an unknown key get their lines, and nothing is kept.
      writeFileSync(path.join(dir, 'bookrun.yaml'), `${CONFIG}  broken: [\n`);
      await expect(readBook({ cwd: dir })).rejects.toThrow(/bookrun\.yaml:\d+/);
      writeFileSync(path.join(dir, 'bookrun.yaml'), `${CONFIG}varients: {}\n`);
      await expect(readBook({ cwd: dir })).rejects.toThrow(/bookrun\.yaml:9: varients/);
      await flushChapterCaches();
      expect(kept()).toEqual([entry]);
      // A fixed one is kept beside it; beyond 32 configs the oldest go.
      writeFileSync(path.join(dir, 'bookrun.yaml'), `${CONFIG}title: Another\n`);
      expect((await readBook({ cwd: dir })).config.title).toBe('Another');
      await flushChapterCaches();
      expect(kept()).toHaveLength(2);
      const old = new Date(Date.now() - 3_600_000);
      for (let i = 0; i < 40; i++) {
        const name = path.join(configDir, `${i.toString(16).padStart(32, '0')}.json`);
        writeFileSync(name, '{"version":1,"data":{}}');
        utimesSync(name, old, old);
      }
      writeFileSync(path.join(dir, 'bookrun.yaml'), `${CONFIG}title: A third\n`);
      await readBook({ cwd: dir });
      await flushChapterCaches();
      expect(kept()).toHaveLength(32);
      expect(kept()).toContain(entry); // served above: used more recently than the planted ones
      expect(kept().filter((f) => f.startsWith('0000000000000000000000000000'))).toHaveLength(29);
      // The entry just written is never the one dropped, even among entries dated later (a clock set back).
      const later = new Date(Date.now() + 3_600_000);
      for (const f of kept()) utimesSync(path.join(configDir, f), later, later);
      const before = new Set(kept());
      writeFileSync(path.join(dir, 'bookrun.yaml'), `${CONFIG}title: A fourth\n`);
      await readBook({ cwd: dir });
      await flushChapterCaches();
      expect(kept()).toHaveLength(32);
      expect(kept().filter((f) => !before.has(f))).toHaveLength(1);
      expect((await readBook({ cwd: dir })).config.title).toBe('A fourth');
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });
  it('drops the config entry an older bookrun kept in .bookrun/cache (the config now lives in the user\'s cache folder) on its next write', async () => {
    const dir = book();
    await open(dir, 'manuscript/03-canary.md');
    await flushChapterCaches();
    const cache = path.join(dir, CHAPTER_CACHE_DIR);
    const manifestFile = path.join(cache, MANIFEST_NAME);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { files: string[] };
    const old = '0123456789abcdef-0123456789abcdef0123456789abcdef-config.json';
    writeFileSync(path.join(cache, old), '{"version":1,"data":{}}');
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, files: [...manifest.files, old].sort() }));
    writeFileSync(path.join(cache, 'mine-config.json'), 'not bookrun\'s');
    appendFileSync(path.join(dir, 'manuscript/03-canary.md'), '\nOne more line.\n');
    await open(dir, 'manuscript/03-canary.md');
    await flushChapterCaches();
    expect(existsSync(path.join(cache, old))).toBe(false);
    expect((JSON.parse(readFileSync(manifestFile, 'utf8')) as { files: string[] }).files).not.toContain(old);
    expect(readFileSync(path.join(cache, 'mine-config.json'), 'utf8')).toBe('not bookrun\'s');
  });
  it('never takes an entry someone else wrote: a clone\'s .bookrun/cache, tampered with, is not looked up by another user', async () => {
    const dir = book();
    const key = 'manuscript/03-canary.md';
    const mine = mkdtempSync(path.join(os.tmpdir(), 'bookrun-user-cache-'));
    const theirs = mkdtempSync(path.join(os.tmpdir(), 'bookrun-user-cache-'));
    made.push(mine, theirs);
    const saved = process.env.XDG_CACHE_HOME;
    try {
      // Someone plans the book, then plants a command in the parse their bookrun kept, and commits .bookrun/.
      process.env.XDG_CACHE_HOME = theirs;
      const fresh = await open(dir, key);
      await flushChapterCaches();
      expect(statSync(path.join(theirs, 'bookrun', 'key')).mode & 0o777).toBe(0o600);
      const [entry] = entries(dir);
      const file = path.join(dir, CHAPTER_CACHE_DIR, entry!);
      const planted = readFileSync(file, 'utf8').replaceAll(fresh.chapter.steps[0]!.command, 'touch pwned');
      writeFileSync(file, planted);
      expect((await open(dir, key)).chapter.steps[0]!.command).toBe('touch pwned');
      // Another user clones it: their bookrun looks its entries up by its own key, and parses the chapter.
      const clone = mkdtempSync(path.join(os.tmpdir(), 'bookrun-clone-'));
      made.push(clone);
      cpSync(dir, clone, { recursive: true });
      process.env.XDG_CACHE_HOME = mine;
      const read = await open(clone, key);
      expect(read.chapter.steps.map((st) => st.command)).toEqual(fresh.chapter.steps.map((st) => st.command));
      expect(read.chapter.steps.some((st) => st.command.includes('pwned'))).toBe(false);
      const plan = await runBookrun(['plan', key, '--variant', 'gke-static'], clone, { env: { XDG_CACHE_HOME: mine } });
      expect(plan.stdout).not.toContain('pwned');
      expect(plan.stdout).toBe((await runBookrun(['plan', key, '--variant', 'gke-static'], clone, { env: { BOOKRUN_CACHE: 'off' } })).stdout);
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });
});
