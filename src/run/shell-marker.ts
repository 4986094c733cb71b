import type { ProcessMarker } from './list-processes.ts';

/**
 * The default marker of a shell session: a variable of its own, `BOOKRUN_SHELL_<nonce>=1`. A name per shell
 * (rather than one name with a value per shell) means a shell started inside another bookrun shell carries both
 * markers, so ending the outer one reaches everything the inner one started too.
 */
export function shellMarker(nonce: string): ProcessMarker & { value: string } {
  return { name: `BOOKRUN_SHELL_${nonce}`, value: '1' };
}
