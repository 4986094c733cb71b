import type { Step } from './model.ts';
import { quoteShellValue } from './plan-terminal-run.ts';
import { toFileWrite } from './to-file-write.ts';

/**
 * What a headless run types for a step (before its placeholders are filled): the command as written, except
 * that an editor on a file the chapter shows becomes the file's write ({@link toFileWrite}) and a step with a
 * `cwd` (Runme) runs in a subshell in that folder, so the reader's shell stays where it is.
 */
export function toRunCommand(step: Pick<Step, 'command' | 'edit' | 'annotations'>): string {
  const command = step.edit ? toFileWrite(step.edit) : step.command;
  const cwd = step.annotations.cwd;
  if (!cwd) return command;
  return command.includes('\n') ? `(\ncd -- ${quoteShellValue(cwd)} || exit\n${command}\n)` : `(cd -- ${quoteShellValue(cwd)} && ${command})`;
}
