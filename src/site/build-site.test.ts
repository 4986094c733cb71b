/**
 * The site build empties its output folder (Docusaurus does), so it goes through the write guard: never
 * into the sources, never over a folder holding files no build of bookrun's made.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputRefusedError } from '../book/output-refused-error.ts';
import { buildSite } from './build-site.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/book');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-build-site-'));
copyFixture(fixture, dir);
const config = path.join(dir, 'bookrun.yaml');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hashes(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (name.isFile()) {
      const full = path.join(name.parentPath, name.name);
      out[path.relative(folder, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  }
  return out;
}

describe('buildSite', () => {
  it('refuses to build into the chapters\' folder or a folder holding it; nothing there changes', async () => {
    const before = hashes(path.join(dir, 'docs'));
    await expect(buildSite({ config, outDir: path.join(dir, 'docs') })).rejects.toThrow(OutputRefusedError);
    await expect(buildSite({ config, outDir: dir })).rejects.toThrow(/holds .*docs, a source folder of the book/);
    expect(hashes(path.join(dir, 'docs'))).toEqual(before);
  });

  it('refuses a folder holding a file no build wrote, before deleting anything', async () => {
    const out = path.join(dir, 'site-with-notes');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'my notes\n');
    await expect(buildSite({ config, outDir: out })).rejects.toThrow(/notes\.txt: exists and bookrun did not write it/);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('my notes\n');
  });

  it('builds into a new folder, lists what it wrote, and may rebuild there, with the book\'s own docusaurus.config when it has one', async () => {
    const out = path.join(dir, 'build');
    await buildSite({ config, outDir: out });
    const manifest = JSON.parse(readFileSync(path.join(out, '.bookrun-manifest.json'), 'utf8')) as { files: string[] };
    expect(manifest.files).toContain('index.html');
    expect(manifest.files.length).toBeGreaterThan(5);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).not.toContain('An override of the site');
    // An author's override starts from the package's config, as this repository's root docusaurus.config.ts does.
    const packageConfig = path.join(path.dirname(fileURLToPath(import.meta.url)), 'docusaurus-config.ts');
    writeFileSync(
      path.join(dir, 'docusaurus.config.ts'),
      `import createConfig from ${JSON.stringify(packageConfig)};\nexport default async () => ({ ...(await createConfig()), tagline: 'An override of the site' });\n`,
    );
    await buildSite({ config, outDir: out });
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('An override of the site');
  }, 240_000);
});
