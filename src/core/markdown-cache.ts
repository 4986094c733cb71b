import type { Root } from 'mdast';

/**
 * Trees of chapter sections parsed before (see `toMarkdownSections`), injected by the caller that keeps them
 * between processes: a chapter re-parsed after an edit parses only the sections that changed. Trees are
 * those of the section's text parsed alone (positions relative to the section); the parser never changes them.
 */
export interface MarkdownCache {
  get(text: string): Root | undefined;
  set(text: string, tree: Root): void;
}
