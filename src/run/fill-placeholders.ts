import { quoteShellValue } from '../core/plan-terminal-run.ts';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `NAME=[...]` → `NAME=value` (shell-quoted) for every placeholder the step assigns. */
export function fillPlaceholders(command: string, names: string[], lookup: (name: string) => string | undefined): string {
  let out = command;
  for (const name of names) {
    const value = lookup(name);
    if (value === undefined) continue;
    out = out.replace(new RegExp(`\\b${escapeRegExp(name)}=\\[\\.\\.\\.\\]`, 'g'), () => `${name}=${quoteShellValue(value)}`);
  }
  return out;
}
