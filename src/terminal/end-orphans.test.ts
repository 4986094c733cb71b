/**
 * The sweep a server runs at start, on real processes: orphans of a dead server (its record names a pid that is
 * gone) are ended and its files removed; a live server's processes, even ones that also carry the dead server's
 * marker, are never touched; records from elsewhere or before a reboot kill nothing.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listMarkedProcesses, readProcessInfo } from '../run/list-processes.ts';
import { endOrphans } from './end-orphans.ts';
import { readSelfOwner, type ProcessOwner } from './read-machine-facts.ts';
import { readServerRecords } from './read-server-records.ts';
import { writeOpenFile } from './write-open-file.ts';
import { writeServerRecord } from './write-server-record.ts';

let dir: string;
let temp: string;
const markers: string[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bookrun-orphans-runtime-'));
  temp = mkdtempSync(path.join(tmpdir(), 'bookrun-orphans-tmp-'));
});
afterEach(() => {
  for (const name of markers.splice(0)) for (const p of listMarkedProcesses({ name, value: null })) process.kill(p.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  rmSync(temp, { recursive: true, force: true });
});

function newMarker(): string {
  const name = `BOOKRUN_TERMINAL_${randomBytes(6).toString('hex')}`;
  markers.push(name);
  return name;
}

/** A process that has come and gone: its pid and start time, as a crashed server's record holds them. */
async function deadOwner(): Promise<ProcessOwner> {
  const child = spawn('sleep', ['0.2']);
  const info = readProcessInfo(child.pid!)!;
  await new Promise((resolve) => child.on('exit', resolve));
  return { ...readSelfOwner(), pid: child.pid!, startTime: info.startTime };
}

/** A `sleep` in a session of its own (as `setsid` leaves it: `detached` is setsid) carrying `env`. */
async function orphan(env: Record<string, string>): Promise<void> {
  const child = spawn('sleep', ['4401'], { env: { ...process.env, ...env }, detached: true, stdio: 'ignore' });
  child.unref();
  // Until it has exec'd, /proc shows the parent's environment: wait for the marker to be there.
  const [name, value] = Object.entries(env)[0]!;
  for (let i = 0; i < 500 && !listMarkedProcesses({ name, value }).some((p) => p.pid === child.pid); i++) await new Promise((r) => setTimeout(r, 10));
}

const alive = (marker: string) => listMarkedProcesses({ name: marker, value: null }).length;

describe('endOrphans', () => {
  it('ends a dead server\'s processes and removes its record and rc file, sparing a live server\'s', async () => {
    const dead = newMarker();
    const live = newMarker();
    const owner = await deadOwner();
    const rc = path.join(temp, `bookrun-terminal-rc-${owner.pid}-${randomBytes(6).toString('hex')}.sh`);
    const notes = path.join(temp, 'notes.txt');
    writeFileSync(rc, '# rc\n');
    writeFileSync(notes, 'the author\'s\n');
    // A record only removes files it could have written: never notes.txt, even if it names it.
    writeServerRecord(dir, 'aaaaaaaaaaaa', { version: 1, ...owner, marker: dead, files: [rc, notes] });
    writeServerRecord(dir, 'bbbbbbbbbbbb', { version: 1, ...readSelfOwner(), marker: live, files: [] });
    await orphan({ [dead]: '1-a' });
    await orphan({ [dead]: '1-b' });
    await orphan({ [live]: '1-c' });
    // A live server started inside the dead one's terminal: its shells carry both markers.
    await orphan({ [dead]: '2-d', [live]: '1-e' });

    const sweep = await endOrphans(dir);
    expect(sweep).toMatchObject({ deadServers: 1, ended: 2 });
    expect(listMarkedProcesses({ name: dead, value: '1-a' })).toEqual([]);
    expect(listMarkedProcesses({ name: dead, value: '1-b' })).toEqual([]);
    expect(alive(live)).toBe(2);
    expect(existsSync(rc)).toBe(false);
    expect(existsSync(notes)).toBe(true);
    expect(readServerRecords(dir).map((r) => r.record.marker)).toEqual([live]);
  });

  it('kills nothing on the word of a record from another host or from before a reboot', async () => {
    const elsewhere = newMarker();
    const rebooted = newMarker();
    const owner = await deadOwner();
    writeServerRecord(dir, 'cccccccccccc', { version: 1, ...owner, host: 'another-host', marker: elsewhere, files: [] });
    writeServerRecord(dir, 'dddddddddddd', { version: 1, ...owner, bootId: 'a-boot-before-this-one', marker: rebooted, files: [] });
    await orphan({ [elsewhere]: '1' });
    await orphan({ [rebooted]: '1' });
    const sweep = await endOrphans(dir);
    expect(sweep).toMatchObject({ deadServers: 1, ended: 0 });
    expect(alive(elsewhere)).toBe(1);
    expect(alive(rebooted)).toBe(1);
    // The record from before the reboot is stale and goes; the one from elsewhere is not ours to judge.
    expect(readServerRecords(dir).map((r) => r.record.marker)).toEqual([elsewhere]);
  });

  it('removes opener files whose owner is gone, keeps a live owner\'s, and leaves other files alone', async () => {
    const mine = writeOpenFile(dir, 'http://127.0.0.1:4111/#token=live-token');
    const owner = await deadOwner();
    const stale = path.join(dir, 'open-4222.html');
    writeFileSync(stale, `<!doctype html>\n<!-- bookrun-owner ${JSON.stringify(owner)} -->\n`, { mode: 0o600 });
    writeFileSync(path.join(dir, 'open-4333.html'), 'not one of ours');
    writeFileSync(path.join(dir, 'server-1-eeeeeeeeeeee.json'), '{ damaged');
    await endOrphans(dir);
    expect(readdirSync(dir).sort()).toEqual([path.basename(mine), 'open-4333.html', 'server-1-eeeeeeeeeeee.json']);
  });
});
