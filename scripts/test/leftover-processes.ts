/**
 * The suite leaves nothing running, pass or fail. `npm test` starts vitest with a marker variable in its
 * environment; every test worker inherits it, and so does every process a test starts and everything those
 * start, even what leaves the process group or session (`setsid`, `nohup`, a daemon's double fork). Once
 * vitest has exited, any process still carrying the marker is a leak.
 */
import { readFileSync } from 'node:fs';
import { listProcesses, processHasEnv } from '../../src/run/list-processes.ts';

/** The variable every process of a test run inherits. */
export const TEST_RUN_MARKER = 'BOOKRUN_TEST_RUN';

/** A process the run left behind. */
export interface Leftover {
  pid: number;
  comm: string;
  /** Its command line, cut to 200 characters. */
  args: string;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ').slice(0, 200);
  } catch {
    return '?';
  }
}

/** Live processes whose environment holds `TEST_RUN_MARKER=marker`. */
export function findLeftovers(marker: string): Leftover[] {
  return listProcesses((p) => p.pid !== process.pid && processHasEnv(p.pid, TEST_RUN_MARKER, marker)).map((p) => ({ pid: p.pid, comm: p.comm, args: commandLine(p.pid) }));
}

/**
 * Waits up to `graceMs` for the run's processes to end by themselves, then kills what is left (so it cannot
 * outlive the run either) and returns it; [] when nothing was left.
 */
export async function endLeftovers(marker: string, graceMs = 3000): Promise<Leftover[]> {
  const deadline = Date.now() + graceMs;
  let left = findLeftovers(marker);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = findLeftovers(marker);
  }
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return left;
}
