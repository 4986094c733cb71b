import { constants } from 'node:os';

/** `1` → `SIGHUP`, for the `exit` message; null for no signal. */
export function signalName(signal: number | null): string | null {
  if (signal === null || signal === 0) return null;
  const found = Object.entries(constants.signals).find(([, n]) => n === signal);
  return found ? found[0] : String(signal);
}
