/** A sidebar item as the docs plugin's generator returns it (only what grouping needs). */
export type SidebarItem = { type: string; id?: string; label?: string; items?: SidebarItem[]; [key: string]: unknown };

/**
 * Groups the chapters of a sidebar by the book's parts: a chapter that opens a part (`-# Part Two`) starts a
 * category of that title holding it and the chapters after it, up to the next part or the back matter
 * (appendices stand on their own, as in the book). Chapters before the first part stay at the top.
 * `partOf` gives the part a doc opens, `isBackMatter` whether it is in the book's back matter.
 */
export function toPartSidebar(items: SidebarItem[], partOf: (docId: string) => string | null, isBackMatter: (docId: string) => boolean = () => false): SidebarItem[] {
  const out: SidebarItem[] = [];
  let part: SidebarItem | null = null;
  for (const item of items) {
    if (item.type === 'doc' && item.id && isBackMatter(item.id)) part = null;
    const title = item.type === 'doc' && item.id ? partOf(item.id) : null;
    if (title) {
      part = { type: 'category', label: title, collapsible: true, collapsed: false, items: [] };
      out.push(part);
    }
    if (part) part.items!.push(item);
    else out.push(item);
  }
  return out;
}
