/**
 * Bad input from the user or the author: a flag, a file, the book config, a chapter, a value. The CLI
 * maps every error of this class (and its subclasses) to exit code 2, and nothing else does; the message
 * names the place (`FILE:LINE` when there is one) and what to do. Pure: no Node types.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
