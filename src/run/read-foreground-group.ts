import { readProcessInfo } from './list-processes.ts';

/** The foreground process group of the terminal the shell `pid` controls (the shell's own when idle); null when unknown. */
export function readForegroundGroup(pid: number): number | null {
  const stat = readProcessInfo(pid);
  if (!stat || stat.tpgid <= 0) return null;
  return stat.tpgid;
}
