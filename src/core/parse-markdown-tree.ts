import type { Nodes, Root, RootContent } from 'mdast';
import type { Position } from 'unist';
import type { MarkdownCache } from './markdown-cache.ts';
import { toMarkdownSections } from './to-markdown-sections.ts';
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
export function parseMarkdownTree(ctx: ParseContext, text: string, cache?: MarkdownCache): { tree: Root; frontMatter: number; markdown: string } {
  const frontMatter = frontMatterEnd(ctx.lines);
  const markdown = frontMatter > 0 ? `${'\n'.repeat(frontMatter)}${ctx.lines.slice(frontMatter).join('\n')}` : text;
  try {
    const sections = cache ? toMarkdownSections(markdown) : null;
    if (!cache || !sections || sections.length < 2) return { tree: processor.parse(markdown), frontMatter, markdown };
    // Section by section, each from the cache when its text is unchanged: the same tree as the whole parse.
    const whole = processor.parse('');
    const children: RootContent[] = [];
    for (const section of sections) {
      let tree = cache.get(section.text);
      if (!tree) {
        tree = processor.parse(section.text);
        cache.set(section.text, tree);
      }
      for (const child of tree.children) children.push(shifted(child, section.line - 1, section.offset) as RootContent);
    }
    whole.children = children;
    whole.position = documentPosition(markdown);
    return { tree: whole, frontMatter, markdown };
  } catch (error) {
    report(ctx, 1, 1, 'markdown-parse', 'error', `cannot parse Markdown: ${String(error)}`);
    return { tree: { type: 'root', children: [] }, frontMatter, markdown };
  }
}

function shiftPosition(position: Position | undefined, lines: number, offset: number): Position | undefined {
  if (!position) return position;
  const point = (p: Position['start']) => ({ line: p.line + lines, column: p.column, offset: p.offset === undefined ? undefined : p.offset + offset });
  return { start: point(position.start), end: point(position.end) };
}

/** A copy of a section's node with its positions moved to where the section is in the chapter. */
function shifted(node: Nodes, lines: number, offset: number): Nodes {
  const copy = { ...node, position: shiftPosition(node.position, lines, offset) } as Nodes & { children?: Nodes[] };
  if (!copy.position) delete (copy as { position?: unknown }).position;
  if ('children' in node && Array.isArray(node.children)) copy.children = (node.children as Nodes[]).map((c) => shifted(c, lines, offset));
  return copy;
}

/** The root's position, as mdast-util-from-markdown gives it for the whole text: from its start to its end. */
function documentPosition(markdown: string): Position {
  const lines = markdown.split(/\r\n|\r|\n/);
  return { start: { line: 1, column: 1, offset: 0 }, end: { line: lines.length, column: lines[lines.length - 1]!.length + 1, offset: markdown.length } };
}
