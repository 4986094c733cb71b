import type { Placeholder, Step } from './model.ts';

const PLACEHOLDER_RE = /(^|[\s;&|(])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=\[\.\.\.\]/g;

/**
 * Placeholders: `NAME=[...]` (or `export NAME=[...]`) in a command, each explained by the comment above it or
 * the nearest sentence before it that mentions it (or says "replace `[...]` with …"). Fills each step's
 * `placeholders` (assigned) and `uses` (`$NAME` / `${NAME}` read).
 */
export function parsePlaceholders(steps: Step[], hints: Array<{ line: number; text: string }>): Placeholder[] {
  const out: Placeholder[] = [];
  const names = new Set<string>();
  for (const step of steps) {
    if (!step.command.includes('=[...]')) continue;
    step.command.split('\n').forEach((text, i) => {
      for (const m of text.matchAll(PLACEHOLDER_RE)) {
        const name = m[2]!;
        if (!step.placeholders.includes(name)) step.placeholders.push(name);
        names.add(name);
        const line = step.line + i;
        const comment = step.comments.length > 0 ? step.comments[step.comments.length - 1]! : null;
        const hint = hints.findLast((h) => h.line < line && (h.text.includes(name) || /replace|with your|\[\.\.\.\]/i.test(h.text)));
        out.push({ name, line, step: step.id, description: comment ?? hint?.text ?? null });
      }
    });
  }
  if (names.size === 0) return out;
  // One pass over each command for every placeholder it reads ($NAME or ${NAME}).
  const reads = new RegExp(`\\$\\{?(${[...names].join('|')})\\b`, 'g');
  for (const step of steps) {
    if (!step.command.includes('$')) continue;
    for (const m of step.command.matchAll(reads)) {
      const name = m[1]!;
      if (!step.placeholders.includes(name) && !step.uses.includes(name)) step.uses.push(name);
    }
  }
  return out;
}
