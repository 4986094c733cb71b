import type { Nodes, Paragraph, Parent, Root } from 'mdast';

/** A block-level node with its place among its siblings. */
export interface FlatNode {
  node: Nodes;
  siblings: readonly Nodes[];
  index: number;
}

/** Every block-level node of a tree in document order, and the way back from a node to its neighbours. */
export interface FlatNodes {
  entries: FlatNode[];
  /** Position of a node in `entries`. */
  at: Map<Nodes, number>;
  /**
   * The node before `entries[i]` among its siblings, skipping what readers do not see between blocks: Leanpub
   * attribute paragraphs (`{lang="text"}`) and HTML (comments); null when there is none.
   */
  previous(i: number): FlatNode | null;
}

const ATTRIBUTE_LINE = /^\{\s*([^{}]*)\}\s*$/;

/** A paragraph that is only a Leanpub attribute line (`{lang="text"}`): one text child that reads `{…}`. */
function isAttributeLine(node: Paragraph): boolean {
  const only = node.children.length === 1 ? node.children[0] : undefined;
  return only?.type === 'text' && ATTRIBUTE_LINE.test(only.value);
}

/** Flattens a tree's block-level nodes (code inside lists and quotes included; paragraphs, headings and tables are leaves). */
export function toFlatNodes(tree: Root): FlatNodes {
  const entries: FlatNode[] = [];
  const walk = (parent: Parent) => {
    parent.children.forEach((node, index) => {
      entries.push({ node: node as Nodes, siblings: parent.children as Nodes[], index });
      if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'table') walk(node as Parent);
    });
  };
  walk(tree);
  const at = new Map<Nodes, number>();
  entries.forEach((entry, i) => at.set(entry.node, i));
  const memo = new Map<number, FlatNode | null>();
  const previous = (i: number): FlatNode | null => {
    const known = memo.get(i);
    if (known !== undefined) return known;
    const entry = entries[i];
    let result: FlatNode | null = null;
    for (let k = (entry?.index ?? 0) - 1; entry && k >= 0; k--) {
      const node = entry.siblings[k]!;
      if (node.type === 'paragraph' && isAttributeLine(node)) continue;
      if (node.type === 'html') continue;
      const found = at.get(node);
      result = found === undefined ? null : entries[found]!;
      break;
    }
    memo.set(i, result);
    return result;
  };
  return { entries, at, previous };
}
