import React from 'react';
import type { BookStatus, ItemState, StatusItem } from '../core/status-model.ts';
import { toStatusRows } from './to-status-rows.ts';

const MARK: Record<ItemState, string> = { passed: '✓', failed: '✗', stale: '~', 'not-run': '○', done: '☑', todo: '☐' };
const COLOR: Record<ItemState, string> = {
  passed: 'var(--ifm-color-success-darker)',
  failed: 'var(--ifm-color-danger-darker)',
  stale: 'var(--ifm-color-warning-darker)',
  'not-run': 'var(--ifm-color-emphasis-600)',
  done: 'var(--ifm-color-success-darker)',
  todo: 'var(--ifm-color-emphasis-600)',
};

function Cell({ item }: { item: StatusItem | undefined }) {
  if (!item) return <td aria-label="not in the chapter's list">·</td>;
  return (
    <td title={item.evidence} style={{ color: COLOR[item.state], fontWeight: item.disagrees ? 700 : 400 }}>
      {MARK[item.state]} {item.state}
      {item.disagrees ? ' !' : ''}
    </td>
  );
}

/** The status table and every chapter's items with their evidence. */
export function BookStatusView({ status }: { status: BookStatus }) {
  const rows = toStatusRows(status);
  return (
    <main className="container margin-vert--lg" data-bookrun="book-status">
      <h1>Book status</h1>
      <p>
        {status.book.title}: {status.chapters.length} chapter(s) × {status.variants.length} variant(s), {status.reports.read}{' '}
        report(s) from <code>{status.reportsDir}</code>. Same as <code>npx bookrun status</code>; shown only in the dev site.
      </p>
      <p>
        ✓ passed · ✗ failed · ~ stale (chapter changed since) · ○ not run · ☑ ticked · ☐ not ticked · ! disagrees with the author's tick
      </p>
      <div style={{ overflowX: 'auto' }}>
        <table aria-label="Chapters × items">
          <thead>
            <tr>
              <th scope="col">Item</th>
              {status.chapters.map((c) => (
                <th scope="col" key={c.file} title={c.file}>
                  {c.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" style={{ textAlign: 'left' }}>{row.label}</th>
                {row.cells.map((item, i) => (
                  <Cell key={status.chapters[i].file} item={item} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {status.chapters.map((chapter) => (
        <section key={chapter.file}>
          <h2>
            {chapter.title} <small><code>{chapter.file}</code></small>
          </h2>
          <p>
            {chapter.counts.done}/{chapter.counts.total} done
            {chapter.counts.disagreements ? `, ${chapter.counts.disagreements} disagreeing with the tick` : ''}
            {chapter.checklistLine === null ? ' (no ## TODO list: the items bookrun can prove)' : ` (## TODO at line ${chapter.checklistLine})`}
          </p>
          <ul style={{ listStyle: 'none', paddingLeft: 0 }}>
            {chapter.items.map((item, i) => (
              <li key={i}>
                <span style={{ color: COLOR[item.state] }}>{MARK[item.state]}</span> <strong>{item.text}</strong>
                {item.line !== null ? <small> (line {item.line})</small> : null}: {item.evidence}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {status.reports.unmatched.length > 0 ? (
        <section>
          <h2>Reports for no chapter or variant of the book</h2>
          <ul>
            {status.reports.unmatched.map((u) => (
              <li key={u.path}>
                <code>{u.path}</code>: {u.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}

