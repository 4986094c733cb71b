import { InputError } from '../core/input-error.ts';

/** A chapter file that cannot be read: the CLI turns it into exit 2. */
export class ChapterNotFoundError extends InputError {
  constructor(
    readonly file: string,
    reason = 'no such chapter file',
    /** More lines for the message (the known variants, for `bookrun plan`). */
    more = '',
  ) {
    super(`${file}: ${reason}: check the path (book chapters: see bookrun.yaml)${more ? `\n${more}` : ''}`);
  }
}

/** A chapter file that is not UTF-8 text (a binary, NUL bytes, another encoding): exit 2, naming the line. */
export class ChapterNotTextError extends InputError {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: not a text chapter (${reason}): bookrun reads chapters as UTF-8 Markdown: check the path, or save the file as UTF-8`);
  }
}
