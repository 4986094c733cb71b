import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { parseBookConfig } from '../core/book-config.ts';
import type { Chapter } from '../core/model.ts';
import { parseBlocks } from '../core/parse-blocks.ts';
import { parseChapter } from '../core/parse-chapter.ts';
import type { ParseContext } from '../core/parse-context.ts';
import { parseMarkdownTree } from '../core/parse-markdown-tree.ts';
import { toFlatNodes } from '../core/to-flat-nodes.ts';

/** The book config phase tests read chapters with: the genre's matrix and an alias. */
export const testConfig = parseBookConfig(
  {
    chapters: [],
    variants: { dimensions: { cloud: ['gke', 'eks', 'aks', 'existing'], flavor: ['static', 'serverless'] }, name: '{cloud}-{flavor}' },
    conditions: { aliases: { tekton: 'serverless' } },
  },
  'bookrun.yaml',
);

/** A whole chapter, parsed as the CLI does (with the real shell parser). */
export function parseForTest(lines: string[], config = testConfig): Promise<Chapter> {
  return parseChapter(lines.join('\n'), { file: 'ch.md', config, shell: shSyntaxParser });
}

/** The first phases of a chapter (tree, blocks), for tests of the later phases on their own. */
export function phaseInput(lines: string[], config = testConfig) {
  const text = lines.join('\n');
  const ctx: ParseContext = { file: 'ch.md', lines: text.split('\n'), config, diagnostics: [] };
  const { tree, markdown } = parseMarkdownTree(ctx, text);
  const flat = toFlatNodes(tree);
  const { blocks, nodeOf } = parseBlocks(ctx, flat);
  return { ctx, tree, markdown, flat, blocks, nodeOf };
}
