import { InputError } from '../core/input-error.ts';

/**
 * bookrun would have written where it must not: over a chapter, Book.txt or Sample.txt, into a source
 * folder, or over a file it did not write. Exit 2; the message names the path and what to do instead.
 */
export class OutputRefusedError extends InputError {
  constructor(
    /** The path as messages show it (relative to the current folder when inside it). */
    readonly shown: string,
    reason: string,
  ) {
    super(`${shown}: ${reason}`);
  }
}
