/** `exit`, `exit 0`, `exit $?`: a whole command that ends the shell, as a reader closes a terminal. */
const EXIT = /^\s*(?:builtin\s+)?exit(?:\s+[^\s;&|()<>`]+)?\s*(?:#.*)?$/;

/**
 * Whether `command` is an `exit` of the shell: the runner then judges the step by the shell's exit status
 * (the shell ending is what the command does, not a failure). Pure.
 */
export function isExitCommand(command: string): boolean {
  return EXIT.test(command);
}
