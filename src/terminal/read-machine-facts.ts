import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { readProcessInfo } from '../run/list-processes.ts';

/** Where a process runs: enough to tell whether a pid in a record can be judged from here. */
export interface MachineFacts {
  host: string;
  /** Changes with every boot (`/proc/sys/kernel/random/boot_id`). */
  bootId: string;
  /** The pid namespace (`/proc/self/ns/pid`): a container sharing the home folder has another one. */
  pidNamespace: string;
}

/** Who owns a runtime file: a process, named for good by its pid and start time, and where it ran. */
export interface ProcessOwner extends MachineFacts {
  pid: number;
  startTime: number;
}

function read(file: string, how: (f: string) => string): string {
  try {
    return how(file).trim();
  } catch {
    return 'unknown';
  }
}

/** The facts of this machine (`unknown` for what cannot be read). */
export function readMachineFacts(): MachineFacts {
  return {
    host: hostname(),
    bootId: read('/proc/sys/kernel/random/boot_id', (f) => readFileSync(f, 'utf8')),
    pidNamespace: read('/proc/self/ns/pid', (f) => readlinkSync(f)),
  };
}

/** This process as the owner of runtime files. */
export function readSelfOwner(): ProcessOwner {
  return { ...readMachineFacts(), pid: process.pid, startTime: readProcessInfo(process.pid)?.startTime ?? -1 };
}
