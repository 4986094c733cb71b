import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSelfOwner } from './read-machine-facts.ts';
import { defaultRuntimeDir, openRuntimeDir, RuntimeDirError } from './runtime-dir.ts';
import { readOpenFileOwner, writeOpenFile } from './write-open-file.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'bookrun-open-file-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('the runtime folder', () => {
  it('is ~/.local/share/bookrun/runtime unless XDG_DATA_HOME or BOOKRUN_RUNTIME_DIR say otherwise', () => {
    expect(defaultRuntimeDir({ HOME: '/home/reader' })).toBe('/home/reader/.local/share/bookrun/runtime');
    expect(defaultRuntimeDir({ HOME: '/home/reader', XDG_DATA_HOME: '/data' })).toBe('/data/bookrun/runtime');
    expect(defaultRuntimeDir({ HOME: '/home/reader', XDG_DATA_HOME: 'relative' })).toBe('/home/reader/.local/share/bookrun/runtime');
    expect(defaultRuntimeDir({ HOME: '/home/reader', BOOKRUN_RUNTIME_DIR: '/run/x' })).toBe('/run/x');
  });

  it('is created 0700, and made private again when it is not', () => {
    const dir = openRuntimeDir(defaultRuntimeDir({ HOME: home }));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    chmodSync(dir, 0o755);
    openRuntimeDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a path that is not a folder, naming it and what to do', () => {
    mkdirSync(path.join(home, 'share'));
    writeFileSync(path.join(home, 'share', 'runtime'), 'a file');
    expect(() => openRuntimeDir(path.join(home, 'share', 'runtime'))).toThrow(RuntimeDirError);
    expect(() => openRuntimeDir(path.join(home, 'share', 'runtime'))).toThrow(/runtime folder .*share\/runtime .*set BOOKRUN_RUNTIME_DIR/);
  });
});

describe('writeOpenFile', () => {
  it('writes open-PORT.html, 0600, sending the browser to the tokened URL and naming its owner', () => {
    const url = 'http://127.0.0.1:4123/#token=abc_DEF-123';
    const file = writeOpenFile(home, url);
    expect(path.basename(file)).toBe('open-4123.html');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${url}">`);
    expect(html).toContain(`<a href="${url}">`);
    expect(readOpenFileOwner(file)).toEqual(readSelfOwner());
  });
});
