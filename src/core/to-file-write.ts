import type { FileEdit } from './model.ts';
import { quoteShellValue } from './plan-terminal-run.ts';

/**
 * The command that writes a file the chapter shows after an editor command, as a reader's shell would:
 * `cat > FILE <<'EOF'`, the content, `EOF`, with a delimiter the content does not hold (`EOF_1`, `EOF_2` …)
 * and quoted, so nothing in the content is expanded. Used by the runner (in place of the editor) and the gist.
 */
export function toFileWrite(edit: Pick<FileEdit, 'file' | 'text'>): string {
  const lines = edit.text === '' ? [] : edit.text.replace(/\n$/, '').split('\n');
  let delimiter = 'EOF';
  for (let n = 1; lines.some((l) => l === delimiter); n++) delimiter = `EOF_${n}`;
  return [`cat > ${quoteShellValue(edit.file)} <<'${delimiter}'`, ...lines, delimiter].join('\n');
}
