import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcessOwner } from './read-machine-facts.ts';

/**
 * What a running terminal server leaves in the runtime folder, so that a server started after it crashed can end
 * what it left: who it is (pid + start time, where), the marker variable every process of its terminals carries,
 * and its files to remove. Never the token.
 */
export interface ServerRecord extends ProcessOwner {
  version: 1;
  /** The name of the variable every process of its terminals inherits (`BOOKRUN_TERMINAL_<id>`). */
  marker: string;
  /** Files of the server's to delete after a crash (its terminals' rc file). */
  files: string[];
}

/** Names of record files: `server-PID-ID.json`. */
export const SERVER_RECORD_PATTERN = /^server-\d+-[0-9a-f]{12}\.json$/;

/** Writes the record (0600, atomically: a reader never sees half of it); returns its path. */
export function writeServerRecord(dir: string, id: string, record: ServerRecord): string {
  const file = path.join(dir, `server-${record.pid}-${id}.json`);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
  return file;
}

/** Removes a record (the server stopped, or the next one cleaned up after it). */
export function removeServerRecord(file: string): void {
  rmSync(file, { force: true });
}
