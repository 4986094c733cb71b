import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVER_RECORD_PATTERN, type ServerRecord } from './write-server-record.ts';

function isRecord(value: unknown): value is ServerRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    r.version === 1 &&
    Number.isInteger(r.pid) &&
    Number.isInteger(r.startTime) &&
    typeof r.host === 'string' &&
    typeof r.bootId === 'string' &&
    typeof r.pidNamespace === 'string' &&
    typeof r.marker === 'string' &&
    /^BOOKRUN_TERMINAL_[0-9a-f]{12}$/.test(r.marker) &&
    Array.isArray(r.files) &&
    r.files.every((f) => typeof f === 'string')
  );
}

/** The server records in the runtime folder; files that are not records (or damaged ones) are left alone. */
export function readServerRecords(dir: string): Array<{ file: string; record: ServerRecord }> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Array<{ file: string; record: ServerRecord }> = [];
  for (const name of names) {
    if (!SERVER_RECORD_PATTERN.test(name)) continue;
    const file = path.join(dir, name);
    try {
      const record: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (isRecord(record)) out.push({ file, record });
    } catch {
      // being written by a server starting right now, or damaged: not ours to judge
    }
  }
  return out;
}
