/** Capitalised words that begin real commands often enough not to be taken for output. */
const CAPITALISED_COMMANDS = new Set(['R', 'Rscript', 'GET', 'POST', 'PUT', 'HEAD', 'DELETE']);

/**
 * Whether a line inside a shell block reads as pasted output rather than a command: `Events:`,
 * a table header (`NAME   READY   STATUS`), a rule of dashes, a row starting with a capitalised word
 * (`Warning  Synced  19m …`), JSON. Commands start with a lower-case word, a path, an assignment
 * (`VERSION=…`), a keyword or a symbol.
 */
export function looksLikeOutput(line: string): boolean {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return false;
  if (/^-{2,}(\s+-{2,})*\s*$/.test(text) || /^={3,}/.test(text)) return true;
  if (/^[{[]["{[\]]/.test(text) && !/^\[\[/.test(text)) return true;
  const first = text.split(/\s+/)[0]!;
  if (first.includes('=') || first.startsWith('$') || first.startsWith('./') || first.startsWith('/')) return false;
  if (/^[A-Z][A-Za-z0-9 ]*:$/.test(text)) return true;
  if (CAPITALISED_COMMANDS.has(first)) return false;
  if (/^[A-Z][A-Z0-9_-]+$/.test(first) && /\S\s{2,}\S/.test(text)) return true;
  if (/^[A-Z][a-z]/.test(first)) return true;
  return false;
}
