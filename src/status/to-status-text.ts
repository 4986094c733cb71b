import type { BookStatus, ItemState } from '../core/status-model.ts';
import { toStatusRows } from './to-status-rows.ts';

/** Options of {@link toStatusText}. */
export interface StatusTextOptions {
  /** ANSI colours (only on a TTY, never with NO_COLOR). */
  color?: boolean;
}

const MARK: Record<ItemState, string> = {
  passed: '✓',
  failed: '✗',
  stale: '~',
  'not-run': '○',
  done: '☑',
  todo: '☐',
};

const COLOR: Record<ItemState, string> = {
  passed: '32',
  failed: '31',
  stale: '33',
  'not-run': '2',
  done: '32',
  todo: '2',
};

function stemOf(file: string): string {
  return file.split('/').pop()!.replace(/\.[^.]*$/, '');
}

/** Pads by visible width (marks are one column wide). */
function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/**
 * The human view of `bookrun status`: a chapters × items table (one column per chapter, one row per item,
 * `!` where a derived item disagrees with the author's tick), then every chapter's items with their evidence.
 */
export function toStatusText(status: BookStatus, options: StatusTextOptions = {}): string {
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const out: string[] = [];
  const reports = status.reports.read === 1 ? '1 report' : `${status.reports.read} reports`;
  out.push(
    paint('1', status.book.title),
    `${status.chapters.length} chapter(s) × ${status.variants.length} variant(s); ${reports} from ${status.reportsDir}`,
    `${MARK.passed} passed  ${MARK.failed} failed  ${MARK.stale} stale (chapter changed since)  ${MARK['not-run']} not run  ${MARK.done} ticked  ${MARK.todo} not ticked  ! disagrees with the tick  · not in the chapter's list`,
    '',
  );

  const rows = toStatusRows(status);
  const heads = status.chapters.map((c) => stemOf(c.file));
  const widths = heads.map((h) => Math.max(h.length, 11));
  const labelWidth = Math.max(4, ...rows.map((r) => [...r.label].length));
  out.push(`${pad('', labelWidth)}  ${heads.map((h, i) => pad(h, widths[i])).join('  ')}`.trimEnd());
  for (const row of rows) {
    const line = row.cells.map((item, c) => {
      if (!item) return pad('·', widths[c]);
      const text = pad(`${MARK[item.state]} ${item.state}${item.disagrees ? ' !' : ''}`, widths[c]);
      return paint(item.disagrees ? '33;1' : COLOR[item.state], text);
    });
    out.push(`${pad(row.label, labelWidth)}  ${line.join('  ')}`.trimEnd());
  }

  for (const chapter of status.chapters) {
    const { done, total, disagreements } = chapter.counts;
    const list = chapter.checklistLine === null ? 'no ## TODO list: the items bookrun can prove' : `## TODO at line ${chapter.checklistLine}`;
    out.push(
      '',
      `${paint('1', chapter.file)}  ${chapter.title}  (${done}/${total} done${disagreements ? `, ${disagreements} disagreeing with the tick` : ''}; ${list})`,
    );
    const width = Math.max(...chapter.items.map((i) => [...i.text].length));
    for (const item of chapter.items) {
      const mark = paint(item.disagrees ? '33;1' : COLOR[item.state], `${MARK[item.state]}${item.disagrees ? '!' : ' '}`);
      const where = item.line === null ? '     ' : pad(`:${item.line}`, 5);
      out.push(`  ${mark} ${where} ${pad(item.text, width)}  ${item.derived ? item.evidence : paint('2', item.evidence)}`);
    }
  }
  if (status.reports.unmatched.length > 0) {
    out.push('', `Reports for no chapter or variant of the book (${status.reports.unmatched.length}):`);
    for (const u of status.reports.unmatched) out.push(`  ${u.path}: ${u.reason}`);
  }
  return `${out.join('\n')}\n`;
}
