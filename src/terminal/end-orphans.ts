import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { endProcesses, listScopeProcesses } from '../run/end-processes.ts';
import { processHasEnv, readProcessInfo, type ProcessInfo } from '../run/list-processes.ts';
import { checkOwner } from './check-owner.ts';
import { readMachineFacts } from './read-machine-facts.ts';
import { readServerRecords } from './read-server-records.ts';
import { OPEN_FILE_PATTERN, readOpenFileOwner } from './write-open-file.ts';
import { removeServerRecord, type ServerRecord } from './write-server-record.ts';

/** What {@link endOrphans} found and did. */
export interface OrphanSweep {
  /** Records of servers that are gone (crashed, killed, or from before a reboot). */
  deadServers: number;
  /** Processes of theirs that were still running, now ended. */
  ended: number;
  /** Files removed: their records, rc files, opener files. */
  removed: string[];
}

/** Only files a server writes, named with its own pid, are ever removed on its record's word. */
function removable(record: ServerRecord, file: string): boolean {
  const name = path.basename(file);
  return path.isAbsolute(file) && new RegExp(`^bookrun-terminal-rc-${record.pid}-[0-9a-f]{12}\\.sh$`).test(name);
}

/**
 * Ends what terminal servers that are gone left behind, before this one starts: every process carrying a dead
 * server's marker (a server killed with SIGKILL never ended its terminals' `setsid`/`nohup`/disowned jobs), its
 * rc files, its record, and opener files whose owner is gone. Never touches a live server's processes: a
 * process that is a live server, or carries a live server's marker (a server started inside a dead one's
 * terminal), is spared; records from another host, container or boot are judged by what they say (never by a
 * pid that means something else here).
 */
export async function endOrphans(dir: string): Promise<OrphanSweep> {
  const here = readMachineFacts();
  const records = readServerRecords(dir).map((r) => ({ ...r, verdict: checkOwner(r.record, here, readProcessInfo(r.record.pid)) }));
  const live = records.filter((r) => r.verdict === 'live' || r.verdict === 'elsewhere').map((r) => r.record);
  const spare = (p: ProcessInfo) => live.some((l) => l.pid === p.pid || processHasEnv(p.pid, l.marker, null));
  const sweep: OrphanSweep = { deadServers: 0, ended: 0, removed: [] };
  for (const { file, record, verdict } of records) {
    if (verdict === 'live' || verdict === 'elsewhere') continue;
    sweep.deadServers += 1;
    if (verdict === 'dead') {
      const scope = { marker: { name: record.marker, value: null }, spare };
      const left = listScopeProcesses(scope).length;
      if (left > 0) await endProcesses(scope);
      sweep.ended += left;
    }
    for (const f of record.files.filter((f) => removable(record, f))) {
      rmSync(f, { force: true });
      sweep.removed.push(f);
    }
    removeServerRecord(file);
    sweep.removed.push(file);
  }
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // no folder: nothing to remove
  }
  for (const name of names.filter((n) => OPEN_FILE_PATTERN.test(n))) {
    const file = path.join(dir, name);
    const owner = readOpenFileOwner(file);
    if (!owner) continue;
    const verdict = checkOwner(owner, here, readProcessInfo(owner.pid));
    if (verdict === 'dead' || verdict === 'rebooted') {
      rmSync(file, { force: true });
      sweep.removed.push(file);
    }
  }
  return sweep;
}
