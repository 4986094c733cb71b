import { readForegroundGroup } from './read-foreground-group.ts';

/**
 * Sends `signal` to the job in the foreground of the shell `pid`'s terminal, never to the shell itself (that
 * would close the reader's terminal). Returns whether there was such a job to signal.
 */
export function signalForegroundGroup(pid: number, signal: NodeJS.Signals): boolean {
  const group = readForegroundGroup(pid);
  if (group === null || group === pid) return false;
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}
