import { describe, expect, it } from 'vitest';
import { parseBookConfig } from './book-config.ts';
import { deriveStatus, type ChapterEvidence, type StatusInput } from './derive-status.ts';
import type { Chapter, Step } from './model.ts';
import type { ReportFile } from './status-model.ts';

const config = parseBookConfig(
  {
    title: 'Fixture Book',
    chapters: ['docs/canary.md', 'docs/plain.md'],
    variants: { dimensions: { cloud: ['gke', 'eks'], flavor: ['static', 'serverless'] }, name: '{cloud}-{flavor}' },
  },
  'bookrun.yaml',
);

/** A chapter as the parser returns it, with only what status reads filled in. */
function chapter(partial: Partial<Chapter>): Chapter {
  return {
    file: 'docs/canary.md', lines: [], hidden: [], title: 'Canary', titleLine: 1, blocks: [], steps: [],
    placeholders: [], notes: [], checklist: [], checklistSection: null, asides: [], headings: [], links: [], images: [], figures: [], ids: [],
    diagnostics: [], ...partial,
  };
}

const checklist = [
  { text: 'Code', checked: true, line: 3 },
  { text: 'Code review static GKE', checked: true, line: 4 },
  { text: 'Code review serverless GKE', checked: false, line: 5 },
  { text: 'Code review static EKS', checked: true, line: 6 },
  { text: 'Code review serverless EKS', checked: false, line: 7 },
  { text: 'Text review', checked: true, line: 8 },
  { text: 'Gist', checked: false, line: 9 },
  { text: 'Review titles', checked: false, line: 10 },
  { text: 'Proofread', checked: false, line: 11 },
  { text: 'Add to Book.txt', checked: false, line: 12 },
];

function report(variant: string, status: 'passed' | 'failed', startedAt: string, sha256: string, file = 'docs/canary.md'): ReportFile {
  return {
    path: `.bookrun/reports/canary/${variant}/${startedAt}.json`,
    report: {
      version: 1,
      chapter: { title: 'Canary', file, sha256 },
      variant: { name: variant, values: {} },
      status,
      startedAt,
      durationMs: 1200,
      steps: [{ id: 'L20', line: 20, status: status === 'failed' ? 'failed' : 'passed' }],
    },
  };
}

function input(reports: ReportFile[], first: Partial<ChapterEvidence> = {}): StatusInput {
  return {
    config,
    reportsDir: '.bookrun/reports',
    reports,
    chapters: [
      {
        file: 'docs/canary.md',
        sha256: 'now',
        chapter: chapter({
          checklist,
          checklistSection: { line: 1, endLine: 13 },
          notes: [{ kind: 'todo', line: 30, text: 'Continue with text', where: 'prose' }],
        }),
        gist: { kind: 'match', file: 'gists/canary.sh' },
        titles: { kind: 'findings', findings: [{ line: 40, rule: 'heading-case', message: '"Visualizing the Rollout" should be "Visualizing The Rollout"' }] },
        ...first,
      },
      {
        file: 'docs/plain.md',
        sha256: 'plain',
        chapter: chapter({ file: 'docs/plain.md', title: 'Plain', steps: [{ id: 'L5', line: 5 } as unknown as Step] }),
        gist: { kind: 'unavailable', reason: 'no gist generator' },
        titles: { kind: 'unavailable', reason: 'no lint' },
      },
    ],
  };
}

describe('deriveStatus', () => {
  const status = deriveStatus(
    input([
      report('gke-static', 'failed', '2026-11-26T01:00:00.000Z', 'now'),
      report('gke-static', 'passed', '2026-11-26T02:00:00.000Z', 'now'),
      report('gke-serverless', 'passed', '2026-11-26T02:00:00.000Z', 'old'),
      report('eks-static', 'passed', '2026-11-26T01:00:00.000Z', 'now'),
      report('eks-static', 'failed', '2026-11-26T03:00:00.000Z', 'now'),
      report('gke-static', 'passed', '2026-11-26T02:00:00.000Z', 'x', 'docs/elsewhere.md'),
      report('aks-static', 'passed', '2026-11-26T02:00:00.000Z', 'now'),
    ]),
  );
  const items = Object.fromEntries(status.chapters[0].items.map((i) => [i.text, i]));

  it('derives a code review from the newest report of its variant for the current text', () => {
    expect(items['Code review static GKE']).toMatchObject({ derived: true, state: 'passed', done: true, disagrees: false });
    expect(items['Code review static GKE'].variants![0].report!.startedAt).toBe('2026-11-26T02:00:00.000Z');
    expect(items['Code review static GKE'].evidence).toContain('passed 2026-11-26T02:00:00.000Z');
  });

  it('calls a report for an older text stale, a missing one not run, a newer failure failed', () => {
    expect(items['Code review serverless GKE']).toMatchObject({ state: 'stale', done: false, disagrees: false });
    expect(items['Code review serverless GKE'].evidence).toContain('older text');
    expect(items['Code review serverless EKS']).toMatchObject({ state: 'not-run', done: false });
    expect(items['Code review serverless EKS'].evidence).toContain('bookrun run docs/canary.md --variant eks-serverless');
    expect(items['Code review static EKS']).toMatchObject({ state: 'failed', done: false, checked: true, disagrees: true });
    expect(items['Code review static EKS'].evidence).toContain('at line 20');
    expect(items['Code review static EKS'].evidence).toContain('ticked, but not proven');
  });

  it('derives text review from author notes, titles from lint, gist and Book.txt order', () => {
    expect(items['Text review']).toMatchObject({ state: 'failed', checked: true, disagrees: true });
    expect(items['Text review'].findings).toEqual([{ line: 30, rule: 'author-note', message: 'TODO: Continue with text' }]);
    expect(items['Review titles']).toMatchObject({ state: 'failed', disagrees: false });
    expect(items['Review titles'].evidence).toContain('line 40');
    expect(items.Gist).toMatchObject({ state: 'passed', checked: false, disagrees: true });
    expect(items.Gist.evidence).toContain('proven, but not ticked');
    expect(items['Add to Book.txt']).toMatchObject({ state: 'passed', disagrees: true });
    expect(items['Add to Book.txt'].evidence).toBe('chapter 1 of 2 in bookrun.yaml (the Book.txt order) [proven, but not ticked]');
  });

  it('takes the items it cannot prove from the author\'s tick', () => {
    expect(items.Code).toMatchObject({ derived: false, state: 'done', done: true, line: 3 });
    expect(items.Proofread).toMatchObject({ derived: false, state: 'todo', done: false, line: 11 });
    expect(status.chapters[0].counts).toEqual({ done: 4, total: 10, disagreements: 4 });
  });

  it('lists the provable items for a chapter without a TODO list, falling back when evidence is unavailable', () => {
    const plain = status.chapters[1];
    expect(plain.checklistLine).toBeNull();
    expect(plain.items.map((i) => i.text)).toEqual([
      'Code review gke-static', 'Code review gke-serverless', 'Code review eks-static', 'Code review eks-serverless',
      'Gist', 'Review titles', 'Text review', 'Add to Book.txt',
    ]);
    expect(plain.items.every((i) => i.line === null && i.checked === null && !i.disagrees)).toBe(true);
    expect(plain.items[0]).toMatchObject({ state: 'not-run' });
    expect(plain.items[4]).toMatchObject({ derived: false, state: 'todo', evidence: 'not ticked (cannot check the gist: no gist generator)' });
  });

  it('lists no code reviews and no gist for a chapter without commands (a preface)', () => {
    const base = input([]);
    const preface = { ...base.chapters[1]!, file: 'docs/preface.md', chapter: chapter({ file: 'docs/preface.md', title: 'Preface' }) };
    const s = deriveStatus({ ...base, chapters: [base.chapters[0]!, preface] });
    expect(s.chapters[1]!.items.map((i) => i.text)).toEqual(['Review titles', 'Text review', 'Add to Book.txt']);
  });

  it('proves "Add to Book.txt" by the book\'s own Book.txt when it has one, not by the book config', () => {
    const base = input([]);
    const s = deriveStatus({ ...base, bookList: { file: 'manuscript/Book.txt', chapters: ['docs/plain.md'] } });
    const item = (c: number) => s.chapters[c]!.items.find((i) => i.text === 'Add to Book.txt')!;
    expect(item(0)).toMatchObject({ state: 'failed', evidence: expect.stringContaining('not listed in manuscript/Book.txt: add a line with canary.md') });
    expect(item(1)).toMatchObject({ state: 'passed', evidence: 'chapter 1 of 1 in manuscript/Book.txt' });
  });

  it('lists reports that belong to no chapter or variant of the book', () => {
    expect(status.reports.read).toBe(7);
    expect(status.reports.unmatched.map((u) => u.reason)).toEqual([
      'chapter docs/elsewhere.md is not in bookrun.yaml',
      'variant aks-static is not in the book\'s matrix (gke-static, gke-serverless, eks-static, eks-serverless)',
    ]);
  });

  it('takes text review findings from lint when given, one per rule and line', () => {
    const s = deriveStatus(
      input([], {
        notes: {
          kind: 'findings',
          findings: [
            { line: 30, rule: 'author-note', message: 'author note left: "Continue with text"' },
            { line: 44, rule: 'gist-link', message: 'gist eks.sh has no URL yet' },
          ],
        },
      }),
    );
    const text = s.chapters[0].items.find((i) => i.text === 'Text review')!;
    expect(text).toMatchObject({ state: 'failed', evidence: '2 author note(s) left at line 30, 44 [ticked, but not proven]' });
    const clean = deriveStatus(input([], { notes: { kind: 'findings', findings: [] } })).chapters[0].items.find((i) => i.text === 'Text review')!;
    expect(clean).toMatchObject({ state: 'passed', disagrees: false });
  });

  it('matches a report written from another folder by its path', () => {
    const s = deriveStatus(input([report('eks-serverless', 'passed', '2026-11-26T02:00:00.000Z', 'now', '/home/ci/book/docs/canary.md')]));
    expect(s.chapters[0].items.find((i) => i.text === 'Code review serverless EKS')!.state).toBe('passed');
  });
});
