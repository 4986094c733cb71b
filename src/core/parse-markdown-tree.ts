import type { Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { report, type ParseContext } from './parse-context.ts';

const processor = unified().use(remarkParse);

/** The number of lines of a leading `---` … `---` YAML front matter block (0 when there is none). */
function frontMatterEnd(lines: readonly string[]): number {
  if (lines[0] !== '---') return 0;
  for (let i = 1; i < lines.length && i < 200; i++) if (lines[i] === '---' || lines[i] === '...') return i + 1;
  return 0;
}

/**
 * The chapter's mdast tree (CommonMark, as Leanpub's Kramdown and Docusaurus read it). YAML front matter (a
 * Docusaurus habit) is not chapter content: it is blanked, keeping every line number. A parser failure is a
 * diagnostic and an empty tree, never an exception. `markdown` is the text the tree was parsed from (its offsets).
 */
export function parseMarkdownTree(ctx: ParseContext, text: string): { tree: Root; frontMatter: number; markdown: string } {
  const frontMatter = frontMatterEnd(ctx.lines);
  const markdown = frontMatter > 0 ? `${'\n'.repeat(frontMatter)}${ctx.lines.slice(frontMatter).join('\n')}` : text;
  try {
    return { tree: processor.parse(markdown), frontMatter, markdown };
  } catch (error) {
    report(ctx, 1, 1, 'markdown-parse', 'error', `cannot parse Markdown: ${String(error)}`);
    return { tree: { type: 'root', children: [] }, frontMatter, markdown };
  }
}
