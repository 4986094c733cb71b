import { listProcesses, processHasEnv, type ListOptions, type ProcessInfo, type ProcessMarker } from './list-processes.ts';

/**
 * What a cleanup ends: the processes of a pty session and every process carrying a marker variable. The session
 * alone misses what left it (`setsid`, `setsid --fork`, daemons); the marker alone misses a program that cleared
 * its environment (`env -i`) but stayed in the session. Together they reach both.
 */
export interface ProcessScope {
  /** The session led by this pid (bash in its pty): every process group in it. */
  sid?: number;
  /** Every process whose environment carries this variable (see {@link processHasEnv}). */
  marker?: ProcessMarker;
  /** Never signalled, even when in scope (a live server, or what belongs to one). */
  spare?: (process: ProcessInfo) => boolean;
}

/** The live processes in `scope` (never this process). */
export function listScopeProcesses(scope: ProcessScope, options: ListOptions = {}): ProcessInfo[] {
  const { sid, marker, spare } = scope;
  return listProcesses((p) => {
    if (p.pid === process.pid) return false;
    const inScope = (sid !== undefined && p.sid === sid) || (marker !== undefined && processHasEnv(p.pid, marker.name, marker.value));
    return inScope && !(spare?.(p) ?? false);
  }, options);
}

/** How long each signal gets before the next, harder one. */
export const END_STEPS: ReadonlyArray<readonly [NodeJS.Signals, number]> = [
  ['SIGHUP', 1000],
  ['SIGTERM', 1000],
  ['SIGKILL', 2000],
];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // already gone (or never ours)
  }
}

/**
 * Ends every process in `scope` as a terminal closing would: SIGHUP, then SIGTERM, then SIGKILL, each after the
 * previous one had its time, re-listing each round so a process forked meanwhile is not missed. Session members
 * are signalled by process group too (reaching a child forked between two listings), marked processes one by
 * one (their group may hold what is spared). Then waits, briefly, until not even a zombie is left in the session,
 * so a caller that checks right after sees nothing. Resolves with what could not be ended ([] normally).
 */
export async function endProcesses(scope: ProcessScope, steps = END_STEPS): Promise<ProcessInfo[]> {
  const groups = (list: ProcessInfo[]) => (scope.spare ? [] : [...new Set(list.filter((p) => p.sid === scope.sid).map((p) => p.pgid))]);
  const hit = (list: ProcessInfo[], name: NodeJS.Signals) => {
    for (const group of groups(list)) signal(-group, name);
    for (const p of list) signal(p.pid, name);
  };
  for (const [name, wait] of steps) {
    const list = listScopeProcesses(scope);
    if (list.length === 0) break;
    hit(list, name);
    const deadline = Date.now() + wait;
    while (Date.now() < deadline && listScopeProcesses(scope).length > 0) await sleep(20);
  }
  // A fork racing the last round: SIGKILL again, a few times, until nothing is left.
  for (let i = 0; i < 5; i++) {
    const list = listScopeProcesses(scope);
    if (list.length === 0) break;
    hit(list, 'SIGKILL');
    await sleep(50);
  }
  if (scope.sid !== undefined) {
    // Ended processes linger as zombies until their new parent (init) reaps them.
    const sessionOnly: ProcessScope = { sid: scope.sid, spare: scope.spare };
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && listScopeProcesses(sessionOnly, { zombies: true }).length > 0) await sleep(20);
  }
  return listScopeProcesses(scope);
}
