import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { listProcesses } from './list-processes.ts';
import { readForegroundGroup } from './read-foreground-group.ts';

/** The `read`-like system calls, by architecture (`/proc/PID/syscall` gives the number and the fd). */
const READ_SYSCALLS: Record<string, number[]> = { x64: [0, 17, 19, 295], arm64: [63, 65, 67, 69], ia32: [3, 145, 180], arm: [3, 145, 180] };

/** Whether a thread of `pid` is blocked in a read of the file `path` (the terminal). */
function blockedReading(pid: number, path: string): boolean {
  const reads = READ_SYSCALLS[process.arch];
  if (!reads) return false;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return false;
  }
  for (const tid of tasks) {
    try {
      const [nr, fd] = readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'utf8').split(' ');
      if (!reads.includes(Number(nr))) continue;
      if (readlinkSync(`/proc/${pid}/fd/${Number.parseInt(fd ?? '', 16)}`) === path) return true;
    } catch {
      // the thread ended, or /proc/PID/syscall is not readable here
    }
  }
  return false;
}

/** The terminal (pty) file of the shell `pid`: its standard input; null when it cannot be read. */
export function readTerminalPath(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/fd/0`);
  } catch {
    return null;
  }
}

/**
 * A process probe: whether the job in the foreground of the shell `pid`'s terminal sits in a `read` of that
 * terminal, waiting for someone to type (a prompt, an editor, `cat` without a file). Linux only (false
 * elsewhere): it reads `/proc/PID/task/TID/syscall` of every process of the foreground group.
 */
export function readsTerminal(pid: number, terminalPath: string): boolean {
  const group = readForegroundGroup(pid);
  if (group === null) return false;
  const members = group === pid ? [pid] : listProcesses((info) => info.pgid === group).map((info) => info.pid);
  return members.some((member) => blockedReading(member, terminalPath));
}
