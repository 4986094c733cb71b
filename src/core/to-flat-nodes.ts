import type { Nodes, Parent, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';

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
  const previous = (i: number): FlatNode | null => {
    const entry = entries[i];
    if (!entry) return null;
    for (let k = entry.index - 1; k >= 0; k--) {
      const node = entry.siblings[k]!;
      if (node.type === 'paragraph' && ATTRIBUTE_LINE.test(toString(node))) continue;
      if (node.type === 'html') continue;
      const found = at.get(node);
      return found === undefined ? null : entries[found]!;
    }
    return null;
  };
  return { entries, at, previous };
}
