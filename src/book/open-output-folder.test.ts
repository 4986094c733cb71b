/**
 * An output folder takes over only what bookrun wrote, or a file holding exactly what it would write: compared
 * by content (a file of another size is never read; a symlink is compared by the file it points to), the same
 * way for a durable folder and for a cache, whose files are looked at synchronously.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST_NAME, openOutputFolder } from './open-output-folder.ts';
import { OutputRefusedError } from './output-refused-error.ts';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-output-folder-'));
  made.push(dir);
  return dir;
}

const listed = (dir: string): string[] => (JSON.parse(readFileSync(path.join(dir, MANIFEST_NAME), 'utf8')) as { files: string[] }).files;

describe.each([
  { kind: 'a durable folder', durable: undefined },
  { kind: 'a cache folder', durable: false },
])('openOutputFolder, $kind', ({ durable }) => {
  it('refuses a file of the same size with other content, and takes over one with exactly the content', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'theirs.sh'), 'echo mine\n');
    writeFileSync(path.join(dir, 'same.sh'), 'echo same\n');
    const out = await openOutputFolder(dir, { instead: 'pass --out another folder', durable });
    await expect(out.write('theirs.sh', 'echo ours\n')).rejects.toThrow(OutputRefusedError);
    await expect(out.writeAll([{ file: 'theirs.sh', data: 'echo ours\n' }])).rejects.toThrow(/bookrun did not write it/);
    expect(readFileSync(path.join(dir, 'theirs.sh'), 'utf8')).toBe('echo mine\n');
    await out.write('same.sh', 'echo same\n');
    expect(listed(dir)).toEqual(['same.sh']);
  });
  it('compares a symlink by the file it points to, and never writes through it', async () => {
    const dir = folder();
    const elsewhere = folder();
    writeFileSync(path.join(elsewhere, 'target.sh'), 'echo same\n');
    symlinkSync(path.join(elsewhere, 'target.sh'), path.join(dir, 'linked.sh'));
    symlinkSync(path.join(elsewhere, 'target.sh'), path.join(dir, 'other.sh'));
    const out = await openOutputFolder(dir, { instead: 'pass --out another folder', durable });
    await expect(out.write('other.sh', 'echo different\n')).rejects.toThrow(OutputRefusedError);
    await out.write('linked.sh', 'echo same\n');
    expect(listed(dir)).toEqual(['linked.sh']);
    await out.write('linked.sh', 'echo new\n');
    expect(readFileSync(path.join(dir, 'linked.sh'), 'utf8')).toBe('echo new\n');
    expect(readFileSync(path.join(elsewhere, 'target.sh'), 'utf8')).toBe('echo same\n');
  });
  it('removes what it wrote when asked, and leaves a file it did not write', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'author.txt'), 'keep me\n');
    const out = await openOutputFolder(dir, { instead: 'pass --out another folder', durable });
    await out.writeAll([{ file: 'a.json', data: '{}' }, { file: 'b.json', data: '[]' }]);
    await out.writeAll([{ file: 'c.json', data: '1' }], { remove: ['a.json', 'author.txt'] });
    expect(existsSync(path.join(dir, 'a.json'))).toBe(false);
    expect(readFileSync(path.join(dir, 'author.txt'), 'utf8')).toBe('keep me\n');
    expect(listed(dir)).toEqual(['b.json', 'c.json']);
    await out.remove('b.json');
    await out.remove('author.txt');
    expect(existsSync(path.join(dir, 'b.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'author.txt'))).toBe(true);
    expect(listed(dir)).toEqual(['c.json']);
  });
});
