import { detectNestedShell } from './detect-nested-shell.ts';
import type { Block } from './model.ts';
import type { ParseContext, RawStep } from './parse-context.ts';
import { toContentRange } from './to-content-range.ts';
import { toStep } from './to-step.ts';

/** `$`, `$ ` with nothing after it: the prompt the terminal shows when the last command is done. */
const BARE_PROMPT = /^\$\s*$/;
/** `$ # If EKS`: a comment typed at the prompt. */
const PROMPT_COMMENT = /^\$\s+#/;
/**
 * Prompts of the shells (and REPLs) a transcript goes into: `/ # `, `root@pod:/# `, `docker@minikube:~$ `,
 * `[root@host ~]# `, `bash-5.1# `, `~ $ `, `test> ` (mongosh), `postgres=# `, `mysql> `, `>>> `.
 */
const NESTED_PROMPT = /^(?:(?:\S+@\S+:)?[~/][^\s#$]*\s?[#$]|\[[^\]]+\]\s?[#$]|(?:ba|z|k|da)?sh-[\d.]+[#$]|[\w-]+(?:=[#>]|>)|>>>|>)\s(?=\S)/;

/** The part of a transcript line after a `$ ` prompt or a nested shell's prompt. */
export function stripPrompt(line: string): string {
  if (line.startsWith('$ ')) return line.slice(2);
  const nested = NESTED_PROMPT.exec(line);
  return nested ? line.slice(nested[0].length) : line;
}

/**
 * The transcripts phase: in a `$ `-prompt block, what follows `$ ` (with `\` continuations and `> `
 * continuation prompts) is a command and the lines after it its output, up to the next prompt. Bare `$`
 * lines and `$ # …` comments are no commands; `#` lines right before a prompt (or at the end) are the next
 * command's comments, not output. After a command that opens a nested shell (`kubectl exec -it … -- sh`),
 * lines at that shell's prompt (`/ # wget …`) are commands too, up to its `exit`.
 */
export function parseTranscript(ctx: ParseContext, block: Block): RawStep[] {
  const [first, last] = toContentRange(block, ctx.lines);
  // An indented code block's lines carry its indentation in the file.
  const indent = block.contentLine === block.line ? Math.min(...ctx.lines.slice(first - 1, last).filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length), 4) : 0;
  const text = (l: number) => (ctx.lines[l - 1] ?? '').slice(indent);
  const out: RawStep[] = [];
  let nested = false;
  const isPrompt = (t: string) => t.startsWith('$ ') || BARE_PROMPT.test(t) || (nested && NESTED_PROMPT.test(t));
  let l = first;
  while (l <= last) {
    const line = text(l);
    if (BARE_PROMPT.test(line) || PROMPT_COMMENT.test(line) || !isPrompt(line)) {
      l++;
      continue;
    }
    let end = l;
    while (end < last && (/\\\s*$/.test(text(end)) || /^> /.test(text(end + 1)))) end++;
    const step = toStep(ctx.lines, block, l, end);
    step.command = ctx.lines
      .slice(l - 1, end)
      .map((t, i) => (i === 0 ? stripPrompt(t.slice(indent)) : t.slice(indent).replace(/^> /, '')))
      .join('\n');
    const command = step.command.trim();
    if (detectNestedShell(command)) nested = true;
    else if (nested && /^(?:exit|logout)(?:\s+\d+)?$/.test(command) && !line.startsWith('$ ')) nested = false;
    let o = end + 1;
    while (o <= last && !isPrompt(text(o)) && !PROMPT_COMMENT.test(text(o))) o++;
    // Comments (and blank lines) right before the next prompt belong to the next command.
    let outputEnd = o - 1;
    while (outputEnd > end && (text(outputEnd).trim() === '' || text(outputEnd).trim().startsWith('#'))) outputEnd--;
    if (outputEnd > end) step.expect = { line: end + 1, text: Array.from({ length: outputEnd - end }, (_, k) => text(end + 1 + k)).join('\n'), lang: null, source: 'pasted' };
    out.push({ step, wait: false });
    l = o;
  }
  return out;
}
