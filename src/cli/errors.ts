import { InputError } from '../core/input-error.ts';

/** A usage error: bad flag, unknown variant, unresolved placeholder. Exit code 2, like every {@link InputError}. */
export class UsageError extends InputError {}

/** A command that ran and found problems (a failed step, lint errors, a stale gist). Exit code 1, message already printed. */
export class FailedError extends Error {
  constructor(message = '') {
    super(message);
    this.name = 'FailedError';
  }
}
