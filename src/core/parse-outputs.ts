import { detectEditor } from './detect-editor.ts';
import type { Block } from './model.ts';
import type { RawStep } from './parse-context.ts';

/**
 * The outputs phase, second half: the output block of a shell block (found by `parseBlockRoles`) becomes the
 * expected output of its last command, with Innovation Engine's similarity or pattern when its comment gave one.
 */
export function attachOutputFence(items: RawStep[], output: Block | undefined): void {
  if (!output || items.length === 0) return;
  const last = items[items.length - 1]!.step;
  if (last.expect) return;
  last.expect = { line: output.line, text: output.value, lang: output.lang, source: 'fence', ...(output.tool?.expect ?? {}) };
  output.outputOf = last.id;
}

/**
 * The outputs phase, for editors: the block after `vim secret.yml` is the file's content. The command gets
 * `edit` (headless, bookrun writes the file instead of starting the editor) and never an expected output.
 */
export function attachFileContent(items: RawStep[], content: Block | undefined): void {
  const last = items.at(-1)?.step;
  if (!last || !content) return;
  const editor = detectEditor(last.command);
  if (!editor) return;
  last.edit = { file: editor.file, editor: editor.editor, line: content.line, text: content.value };
  content.fileOf = last.id;
}
