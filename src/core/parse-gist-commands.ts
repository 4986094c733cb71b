import type { ShellParser } from './shell-parser.ts';

/** One command of a gist script: where it starts and its text with layout normalised (for comparing). */
export interface GistCommand {
  line: number;
  /** The command as written (its lines, comment lines left out). */
  text: string;
  /** `\`-continuations joined, runs of blanks made one: two layouts of one command compare equal. */
  normal: string;
}

/** A command's text with its layout made canonical: line continuations joined and blanks collapsed. */
export function toNormalCommand(text: string): string {
  return text
    .replace(/\\\r?\n[ \t]*/g, ' ')
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}

/**
 * The commands of a gist script (a published `.sh` or one bookrun generates), in order: each top-level
 * statement the shell parser finds, without the comment lines around and inside it (conditions, banners,
 * terminal switches). A script the shell parser rejects is read one blank-line-separated paragraph at a time.
 */
export async function parseGistCommands(text: string, shell: ShellParser): Promise<GistCommand[]> {
  const lines = text.split(/\r?\n/);
  const command = (from: number, to: number): GistCommand | null => {
    const kept = lines.slice(from - 1, to).filter((l) => !/^\s*#/.test(l));
    const written = kept.join('\n').trim();
    if (written === '') return null;
    const first = from + lines.slice(from - 1, to).findIndex((l) => l.trim() !== '' && !/^\s*#/.test(l));
    return { line: first, text: written, normal: toNormalCommand(written) };
  };
  const parsed = await shell.parse(text);
  const out: GistCommand[] = [];
  if (parsed.ok) {
    for (const s of parsed.statements) {
      const c = command(s.line, s.endLine);
      if (c) out.push(c);
    }
    return out;
  }
  let start = 1;
  for (let i = 1; i <= lines.length + 1; i++) {
    if (i > lines.length || (lines[i - 1] ?? '').trim() === '') {
      const c = i > start ? command(start, i - 1) : null;
      if (c) out.push(c);
      start = i + 1;
    }
  }
  return out;
}
