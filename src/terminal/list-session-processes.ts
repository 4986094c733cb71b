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

/**
 * Every live process of the session `sid` (a pty shell is a session leader, so its session holds its
 * job-control process groups too). Linux only: [] without /proc. Tests use it to prove nothing is left.
 */
export function listSessionProcesses(sid: number): ProcessInfo[] {
  return listProcesses((info) => info.sid === sid);
}

/** Live children of `ppid` (used by tests to prove that no shell was started). */
export function listChildProcesses(ppid: number): ProcessInfo[] {
  return listProcesses((info) => info.ppid === ppid);
}

/** Every live process in /proc that `keep` accepts; [] without /proc. */
function listProcesses(keep: (info: ProcessInfo) => boolean): ProcessInfo[] {
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
