import { listProcesses, type ProcessInfo } from '../run/list-processes.ts';

export { readProcessInfo, type ProcessInfo } from '../run/list-processes.ts';

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
