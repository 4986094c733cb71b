import type { MachineFacts, ProcessOwner } from './read-machine-facts.ts';

/**
 * Whether the owner of a runtime file is still running, judged from here:
 * - `elsewhere`: another host, or another pid namespace (a container sharing the home): not ours to judge;
 * - `rebooted`: this host booted since, so the owner and everything it started are gone;
 * - `live`: its pid runs and started when the owner did (a reused pid has another start time);
 * - `dead`: otherwise.
 */
export type OwnerVerdict = 'live' | 'dead' | 'rebooted' | 'elsewhere';

/** Judges `owner` given this machine's facts and what runs now under its pid (null: nothing). Pure. */
export function checkOwner(owner: ProcessOwner, here: MachineFacts, running: { startTime: number } | null): OwnerVerdict {
  if (owner.host !== here.host) return 'elsewhere';
  if (owner.bootId !== here.bootId || owner.bootId === 'unknown') return owner.bootId === 'unknown' ? 'elsewhere' : 'rebooted';
  if (owner.pidNamespace !== here.pidNamespace || owner.pidNamespace === 'unknown') return 'elsewhere';
  return running !== null && running.startTime === owner.startTime ? 'live' : 'dead';
}
