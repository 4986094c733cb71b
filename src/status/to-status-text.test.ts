import { describe, expect, it } from 'vitest';
import type { BookStatus, StatusItem } from '../core/status-model.ts';
import { toStatusText } from './to-status-text.ts';

function item(text: string, partial: Partial<StatusItem>): StatusItem {
  return { text, line: 3, kind: 'manual', checked: false, derived: false, state: 'todo', done: false, disagrees: false, evidence: 'not ticked', ...partial };
}

const status: BookStatus = {
  version: 1,
  book: { title: 'Fixture', config: 'bookrun.yaml' },
  reportsDir: '.bookrun/reports',
  variants: ['gke-static'],
  chapters: [
    {
      file: 'docs/one.md', title: 'One', sha256: 'a', checklistLine: 1,
      items: [
        item('Code review static GKE', { kind: 'code-review', derived: true, state: 'passed', done: true, disagrees: true, evidence: 'gke-static: passed', variants: [{ variant: 'gke-static', state: 'passed', report: null }] }),
        item('Proofread', {}),
      ],
      counts: { done: 1, total: 2, disagreements: 1 },
    },
    {
      file: 'docs/two.md', title: 'Two', sha256: 'b', checklistLine: null,
      items: [item('Code review gke-static', { line: null, checked: null, kind: 'code-review', derived: true, state: 'failed', evidence: 'gke-static: failed', variants: [{ variant: 'gke-static', state: 'failed', report: null }] })],
      counts: { done: 0, total: 1, disagreements: 0 },
    },
  ],
  reports: { read: 1, unmatched: [{ path: 'x.json', reason: 'chapter docs/old.md is not in bookrun.yaml' }] },
};

describe('toStatusText', () => {
  it('puts the same variant\'s code reviews of every chapter on one row', () => {
    const text = toStatusText(status);
    expect(text).toMatch(/^Code review static GKE +✓ passed ! +✗ failed$/m);
    expect(text).toMatch(/^Proofread +☐ todo +·$/m);
    expect(text).toContain('  ✓! :3    Code review static GKE  gke-static: passed');
    expect(text).toContain('  x.json: chapter docs/old.md is not in bookrun.yaml');
  });

  it('colours only when asked (a TTY)', () => {
    expect(toStatusText(status)).not.toContain('\u001b[');
    const coloured = toStatusText(status, { color: true });
    expect(coloured).toContain('\u001b[31m✗ failed');
    expect(coloured).toContain('\u001b[33;1m✓ passed !');
  });
});
