/**
 * Test helper: the seven ways a reader's terminal can leave a process behind, as one line to type into it, and
 * how a test finds them again without trusting the code under test. Every job inherits a probe variable of the
 * test's own (not bookrun's marker), so a test sees them whatever session or process group they moved to.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { listProcesses, processHasEnv, type ProcessInfo } from '../run/list-processes.ts';

/** The kinds, in the order of {@link SevenKindsOfJob.line}; each runs `sleep 4242N` (N = 1…7). */
export const JOB_KINDS = ['background', 'disowned', 'nohup', 'setsid', 'setsid --fork', 'double fork', 'ignores HUP and TERM'] as const;

export interface SevenKindsOfJob {
  /** The probe variable's name (its value is `1`). */
  probe: string;
  /** One line to type into the shell: exports the probe, starts the seven jobs, then prints `jobs-started`. */
  line: string;
  /** The live processes of these jobs (probe carriers whose command is `sleep`), by kind. */
  alive(): Array<ProcessInfo & { kind: string }>;
  /** Ends whatever is left (a test's cleanup, pass or fail). */
  kill(): void;
}

/** A fresh set of the seven kinds of job, with a probe name of its own. */
export function sevenKindsOfJob(): SevenKindsOfJob {
  const probe = `BOOKRUN_TEST_PROBE_${randomBytes(6).toString('hex')}`;
  const quiet = '>/dev/null 2>&1 </dev/null';
  const jobs = [
    `sleep 42421 &`,
    `sleep 42422 & disown`,
    `nohup sleep 42423 ${quiet} &`,
    `setsid sleep 42424 ${quiet} &`,
    `setsid --fork sleep 42425 ${quiet}`,
    `( ( sleep 42426 ${quiet} & ) & )`,
    `( trap '' HUP TERM; exec sleep 42427 ${quiet} ) &`,
  ];
  const line = `export ${probe}=1; ${jobs.map((j) => (j.endsWith('&') ? `${j} ` : `${j}; `)).join('')}echo jobs-$((3+4))-started\r`;
  const carriers = () => listProcesses((p) => p.pid !== process.pid && processHasEnv(p.pid, probe, '1'));
  return {
    probe,
    line,
    alive() {
      return carriers()
        .filter((p) => p.comm === 'sleep')
        .map((p) => {
          const n = Number(/4242(\d)/.exec(readArgs(p.pid))?.[1] ?? 0);
          return { ...p, kind: JOB_KINDS[n - 1] ?? 'unknown' };
        });
    },
    kill() {
      for (const p of carriers()) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    },
  };
}

function readArgs(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Polls until all seven are running (they start in the background). */
export async function waitForSevenJobs(jobs: SevenKindsOfJob): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (new Set(jobs.alive().map((p) => p.kind)).size === JOB_KINDS.length) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not all seven jobs started: ${JSON.stringify(jobs.alive().map((p) => p.kind))}`);
}

/** Polls until none of the jobs is left, or gives up; returns the kinds still alive. */
export async function survivors(jobs: SevenKindsOfJob, polls = 100): Promise<string[]> {
  for (let i = 0; i < polls && jobs.alive().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  return jobs.alive().map((p) => p.kind).sort();
}
