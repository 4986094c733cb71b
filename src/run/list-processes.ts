import { readdirSync, readFileSync } from 'node:fs';

/** One process as seen in /proc: its id, process group, session and command name. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** Foreground process group of its controlling terminal (-1 when none). */
  tpgid: number;
  comm: string;
}

/** Parses `/proc/PID/stat` (the command name may contain spaces and parentheses). Null when gone. */
export function readProcessInfo(pid: number): ProcessInfo | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] = state, [1] = ppid, [2] = pgrp, [3] = session, [4] = tty_nr, [5] = tpgid
  if (fields[0] === 'Z') return null; // a zombie is already dead, only waiting to be reaped
  return {
    pid,
    comm: text.slice(open + 1, close),
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    tpgid: Number(fields[5]),
  };
}

/** Every live process in /proc that `keep` accepts; [] without /proc. */
export function listProcesses(keep: (info: ProcessInfo) => boolean): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const name of entries) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const info = readProcessInfo(Number(name));
    if (info && keep(info)) out.push(info);
  }
  return out;
}

/** Whether no process of the group `pgid` is left (kill(-pgid, 0) says ESRCH). */
export function processGroupGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Whether the process's environment holds `NAME=VALUE`, as it was when the process started (`/proc/PID/environ`).
 * Every descendant inherits an environment variable unless it clears it, including processes that left the
 * process group or session (`setsid`, `nohup`, `disown`, a daemon's double fork), so a marker variable finds
 * them all. False when the process is gone or its environment is not readable (another user's).
 */
export function processHasEnv(pid: number, name: string, value: string): boolean {
  let environ: Buffer;
  try {
    environ = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return false;
  }
  const needle = Buffer.from(`${name}=${value}\0`);
  if (environ.subarray(0, needle.length).equals(needle)) return true;
  return environ.includes(Buffer.concat([Buffer.from([0]), needle]));
}
