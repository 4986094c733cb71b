import type { Block, Link } from './model.ts';

const LINK_RE = /!?\[((?:[^\]\\]|\\.)*)\]\(([^()\s]*(?:\([^()]*\))?[^()]*?)\)/g;

/** The links phase: every link in the chapter's prose (not in code or front matter). */
export function parseLinks(lines: readonly string[], blocks: Block[], frontMatter: number): Link[] {
  const inCode = new Uint8Array(lines.length + 2);
  for (let l = 1; l <= frontMatter; l++) inCode[l] = 1;
  for (const b of blocks) for (let l = b.line; l <= b.endLine; l++) inCode[l] = 1;
  const out: Link[] = [];
  for (let l = 1; l <= lines.length; l++) {
    if (inCode[l]) continue;
    const line = lines[l - 1]!;
    if (!line.includes('](')) continue;
    const masked = line.replace(/`[^`]*`/g, (m) => ' '.repeat(m.length));
    for (const m of masked.matchAll(LINK_RE)) {
      if (m[0].startsWith('!')) continue;
      out.push({ text: line.slice(m.index! + 1, m.index! + 1 + m[1]!.length), url: m[2]!.trim(), line: l, column: m.index! + 1 });
    }
  }
  return out;
}
