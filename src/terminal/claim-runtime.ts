import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { listMarkedProcesses } from '../run/list-processes.ts';
import { endOrphans } from './end-orphans.ts';
import { readSelfOwner } from './read-machine-facts.ts';
import { openRuntimeDir } from './runtime-dir.ts';
import { removeServerRecord, writeServerRecord } from './write-server-record.ts';
import { writeTerminalRc } from './write-terminal-rc.ts';

/** What a terminal server owns outside its memory, from start to close. */
export interface ServerRuntime {
  /** The variable every process of this server's terminals carries (`BOOKRUN_TERMINAL_<id>`); values name terminals. */
  marker: string;
  /** The rc file of its terminals. */
  rcfile: string;
  /** Removes its rc file and record (close() calls it once the terminals are ended). */
  release(): void;
}

/**
 * Makes a server's start crash-safe, before it spawns anything: ends what servers that are gone left behind
 * ({@link endOrphans}), writes the terminals' rc file and this server's record (pid, start time, marker, rc
 * file) into the runtime folder, and, as a last resort for an exit without close() (an uncaught error),
 * SIGKILLs every process carrying its marker when this process exits. SIGKILL of the server itself leaves the
 * record behind, for the next server's sweep.
 */
export async function claimRuntime(runtimeDir: string, userRc: string | null): Promise<ServerRuntime> {
  const dir = openRuntimeDir(runtimeDir);
  await endOrphans(dir);
  const id = randomBytes(6).toString('hex');
  const marker = `BOOKRUN_TERMINAL_${id}`;
  const rcfile = writeTerminalRc(userRc);
  const record = writeServerRecord(dir, id, { version: 1, ...readSelfOwner(), marker, files: [rcfile] });
  const remove = () => {
    rmSync(rcfile, { force: true });
    removeServerRecord(record);
  };
  const onExit = () => {
    for (const p of listMarkedProcesses({ name: marker, value: null })) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    remove();
  };
  process.on('exit', onExit);
  return {
    marker,
    rcfile,
    release() {
      process.off('exit', onExit);
      remove();
    },
  };
}
