import type { Aside, AsideKind } from './model.ts';
import { parseAsideCondition } from './parse-aside-condition.ts';
import type { ParseContext } from './parse-context.ts';

const ASIDE_LINE = /^([AWTEIQDXGCB])>(?:\s|$)/;

/** Leanpub asides (`I>`, `W>`, … every line prefixed, titled ones with a heading inside), outside code fences. */
export function parseAsides(ctx: ParseContext): Aside[] {
  const lines = ctx.lines;
  const out: Aside[] = [];
  let inFence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (inFence === null) inFence = fence[1]![0]!;
      else if (fence[1]![0] === inFence) inFence = null;
      continue;
    }
    if (inFence !== null) continue;
    const m = ASIDE_LINE.exec(line);
    if (!m) continue;
    const kind = m[1] as AsideKind;
    const start = i;
    const texts: string[] = [];
    while (i < lines.length && lines[i]!.startsWith(`${kind}>`)) {
      texts.push(lines[i]!.slice(2).replace(/^ /, ''));
      i++;
    }
    i--;
    const text = texts.join('\n');
    out.push({ kind, line: start + 1, endLine: i + 1, text, condition: parseAsideCondition(ctx, text, start + 1, false) });
  }
  return out;
}
