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
  /** The state letter (`R`, `S`, `T`, … `Z` for a zombie, seen only with `{ zombies: true }`). */
  state: string;
  /**
   * When it started, in clock ticks after boot (`/proc/PID/stat` field 22). With the pid it names one process for
   * good: a pid reused later has another start time.
   */
  startTime: number;
}

/** What {@link readProcessInfo} and {@link listProcesses} also report. */
export interface ListOptions {
  /** Include zombies (ended, not yet reaped by their parent); default false: a zombie counts as gone. */
  zombies?: boolean;
}

/** Parses `/proc/PID/stat` (the command name may contain spaces and parentheses). Null when gone. */
export function readProcessInfo(pid: number, options: ListOptions = {}): ProcessInfo | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] = state, [1] = ppid, [2] = pgrp, [3] = session, [4] = tty_nr, [5] = tpgid, [19] = starttime
  if (fields[0] === 'Z' && !options.zombies) return null; // a zombie is already dead, only waiting to be reaped
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    tpgid: Number(fields[5]),
    startTime: Number(fields[19]),
  };
}

/** Every live process in /proc that `keep` accepts; [] without /proc. The one walker of /proc. */
export function listProcesses(keep: (info: ProcessInfo) => boolean, options: ListOptions = {}): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const name of entries) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const info = readProcessInfo(Number(name), options);
    if (info && keep(info)) out.push(info);
  }
  return out;
}

/** A variable every process a shell starts inherits, so cleanup finds them wherever they moved (see {@link processHasEnv}). */
export interface ProcessMarker {
  name: string;
  /** The value; null matches the variable with any value (all terminals of one server). */
  value: string | null;
}

/** Every live process carrying `marker` in its environment (never this process). */
export function listMarkedProcesses(marker: ProcessMarker, options: ListOptions = {}): ProcessInfo[] {
  return listProcesses((p) => p.pid !== process.pid && processHasEnv(p.pid, marker.name, marker.value), options);
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
 * Whether the process's environment holds `NAME=VALUE` (or, with `value` null, `NAME` with any value), as it was
 * when the process started (`/proc/PID/environ`). Every descendant inherits an environment variable unless it
 * clears it, including processes that left the process group or session (`setsid`, `nohup`, `disown`, a daemon's
 * double fork), so a marker variable finds them all. False when the process is gone or its environment is not
 * readable (another user's, or one that made itself non-dumpable, as ssh-agent does).
 */
export function processHasEnv(pid: number, name: string, value: string | null): boolean {
  let environ: Buffer;
  try {
    environ = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return false;
  }
  const needle = Buffer.from(value === null ? `${name}=` : `${name}=${value}\0`);
  if (environ.subarray(0, needle.length).equals(needle)) return true;
  return environ.includes(Buffer.concat([Buffer.from([0]), needle]));
}
