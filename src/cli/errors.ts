/** A usage or input error: bad flag, unknown variant, missing file, unresolved placeholder. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command that ran and found problems (a failed step, lint errors, a stale gist). Exit code 1, message already printed. */
export class FailedError extends Error {
  constructor(message = '') {
    super(message);
    this.name = 'FailedError';
  }
}
