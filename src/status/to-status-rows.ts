import type { BookStatus, StatusItem } from '../core/status-model.ts';

/** One row of the chapters × items table: its label and each chapter's item (undefined when not listed). */
export interface StatusRow {
  key: string;
  label: string;
  cells: Array<StatusItem | undefined>;
}

/** The row an item belongs to: code reviews by the variants they name, other derived items by kind. */
function rowKey(item: StatusItem): string {
  if (item.kind === 'code-review') return `code-review:${(item.variants ?? []).map((v) => v.variant).join(',')}`;
  if (item.kind === 'manual') return `manual:${item.text.toLowerCase().replace(/\s+/g, ' ').trim()}`;
  return item.kind;
}

/**
 * The rows of the chapters × items table, in the order of the first chapter with a `## TODO` list (the
 * author's order), then items only other chapters have. "Code review static GKE" in one chapter and
 * "Code review gke-static" in another share a row: they name the same variant.
 */
export function toStatusRows(status: BookStatus): StatusRow[] {
  const order = [...status.chapters.keys()].sort(
    (a, b) => Number(status.chapters[a].checklistLine === null) - Number(status.chapters[b].checklistLine === null) || a - b,
  );
  const rows: StatusRow[] = [];
  const byKey = new Map<string, StatusRow>();
  for (const c of order) {
    for (const item of status.chapters[c].items) {
      const key = rowKey(item);
      let row = byKey.get(key);
      if (!row) {
        row = { key, label: item.text, cells: status.chapters.map(() => undefined) };
        byKey.set(key, row);
        rows.push(row);
      }
      row.cells[c] ??= item;
    }
  }
  return rows;
}
