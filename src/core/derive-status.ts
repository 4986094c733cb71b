import { listVariants, type BookConfig } from './book-config.ts';
import type { Chapter, ChecklistItem } from './model.ts';
import { parseChecklistItem } from './parse-checklist-item.ts';
import type {
  BookStatus,
  ChapterStatus,
  Finding,
  ItemRule,
  ReportFile,
  StatusItem,
  VariantEvidence,
} from './status-model.ts';

/** Whether the committed gist equals what the chapter generates (computed by the caller, which does the I/O). */
export type GistEvidence =
  | { kind: 'match'; file: string }
  /** The author's own published gist: every command of the chapter, in order, with comments and layout of its own. */
  | { kind: 'same-commands'; file: string }
  /** `lacks` / `extra`: how many commands it lacks and has extra (when known). */
  | { kind: 'differs'; file: string; lacks?: number; extra?: number }
  | { kind: 'missing'; file: string }
  | { kind: 'unavailable'; reason: string };

/** Lint findings for a chapter (of the rules behind one item), or why they could not be computed. */
export type LintEvidence = { kind: 'findings'; findings: Finding[] } | { kind: 'unavailable'; reason: string };

/** One diagram of a chapter: whether mermaid's parser takes it and whether it was drawn (is in the diagram cache). */
export interface DiagramState {
  line: number;
  /** `Figure 17-2`. */
  label: string;
  state: 'drawn' | 'not-drawn' | 'error';
  /** mermaid's message, for `error`. */
  message?: string;
}

/** The evidence behind "Diagrams": each diagram's state, the draft figures and the missing images; or why there is none. */
export type DiagramEvidence =
  | { kind: 'checked'; diagrams: DiagramState[]; drafts: Finding[]; missing: Finding[]; /** Figures of the chapter, images included. */ figures: number }
  | { kind: 'unavailable'; reason: string };

/** The evidence behind "Publish on <blog>": the newest blog export of the chapter (`.bookrun/blog/`), if any. */
export type BlogEvidence =
  | { kind: 'none' }
  | { kind: 'exported'; sha256: string; writtenAt: string; draft: boolean; findings: number; format: string; variant: string | null; out: string }
  | { kind: 'unavailable'; reason: string };

/** One chapter of the book with the evidence gathered for it. */
export interface ChapterEvidence {
  /** As in the book config. */
  file: string;
  /** sha256 of the current text. */
  sha256: string;
  chapter: Chapter;
  gist: GistEvidence;
  /** The `heading-case` findings ("Review titles"). */
  titles: LintEvidence;
  /**
   * The author-note findings ("Text review": `author-note`, `todo-link`, unresolved `gist-link`); without
   * it, the chapter's parsed notes are the evidence.
   */
  notes?: LintEvidence;
  /** The diagrams' states and the figures' drafts ("Diagrams"); without it, the item is the author's tick. */
  diagrams?: DiagramEvidence;
  /** The chapter's blog export ("Publish on <blog>"); without it, the item is the author's tick. */
  blog?: BlogEvidence;
}

/** Everything {@link deriveStatus} needs; the caller reads files, this function only decides. */
export interface StatusInput {
  config: Pick<BookConfig, 'file' | 'title' | 'chapters' | 'dimensions' | 'variantName' | 'aliases'> & Partial<Pick<BookConfig, 'blog'>>;
  chapters: ChapterEvidence[];
  reports: ReportFile[];
  /** Where the reports were read from (for the evidence text). */
  reportsDir: string;
  /**
   * The book's Leanpub `Book.txt`, when it has one: its key and the chapter keys it lists. "Add to Book.txt"
   * is then proven by that file, not by the book config.
   */
  bookList?: { file: string; chapters: string[] } | null;
}

/**
 * Items bookrun lists for a chapter that has no `## TODO` list of its own. A chapter without commands (a
 * preface, an appendix of prose) has nothing to run nor a gist.
 */
function defaultItems(variants: string[], commands: boolean): ChecklistItem[] {
  return [
    ...(commands ? variants.map((v) => ({ text: `Code review ${v}`, checked: false, line: 0 })) : []),
    ...(commands ? [{ text: 'Gist', checked: false, line: 0 }] : []),
    { text: 'Review titles', checked: false, line: 0 },
    { text: 'Text review', checked: false, line: 0 },
    { text: 'Add to Book.txt', checked: false, line: 0 },
  ];
}

function normalisePath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function stem(file: string): string {
  return normalisePath(file).split('/').pop()!.replace(/\.[^.]*$/, '');
}

/**
 * Which book chapter a report is about: its `chapter.file` as in the book config, else a path that ends
 * with it (a report written from another folder), else the only chapter with the same file stem.
 */
function chapterOfReport(reportFile: string, chapters: string[]): string | null {
  const file = normalisePath(reportFile);
  const exact = chapters.find((c) => normalisePath(c) === file);
  if (exact) return exact;
  const suffix = chapters.filter((c) => file.endsWith(`/${normalisePath(c)}`) || normalisePath(c).endsWith(`/${file}`));
  if (suffix.length === 1) return suffix[0];
  const sameStem = chapters.filter((c) => stem(c) === stem(file));
  return sameStem.length === 1 ? sameStem[0] : null;
}

function variantEvidence(variant: string, reports: ReportFile[], sha256: string): VariantEvidence {
  const newest = reports
    .filter((r) => r.report.variant.name === variant)
    .sort((a, b) => Date.parse(b.report.startedAt) - Date.parse(a.report.startedAt))[0];
  if (!newest) return { variant, state: 'not-run', report: null };
  const r = newest.report;
  const report = {
    path: newest.path,
    status: r.status,
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    sha256: r.chapter.sha256,
    failedLines: r.steps.filter((s) => s.status === 'failed').map((s) => s.line),
  };
  if (r.chapter.sha256 !== sha256) return { variant, state: 'stale', report };
  return { variant, state: r.status, report };
}

function describeVariant(e: VariantEvidence, chapterFile: string, reportsDir: string): string {
  const r = e.report;
  switch (e.state) {
    case 'not-run':
      return `${e.variant}: no report in ${reportsDir} (run: bookrun run ${chapterFile} --variant ${e.variant})`;
    case 'stale':
      return `${e.variant}: newest report (${r!.status}, ${r!.startedAt}) is for an older text of the chapter (run it again)`;
    case 'failed':
      return `${e.variant}: failed ${r!.startedAt}${r!.failedLines.length ? ` at line ${r!.failedLines.join(', ')}` : ''} (${r!.path})`;
    case 'passed':
      return `${e.variant}: passed ${r!.startedAt} (${r!.path})`;
  }
}

/** The worst state wins: one failed variant fails the item, then stale, then not run. */
function combine(states: VariantEvidence['state'][]): VariantEvidence['state'] {
  for (const s of ['failed', 'stale', 'not-run'] as const) if (states.includes(s)) return s;
  return 'passed';
}

function manualItem(item: ChecklistItem, rule: ItemRule, listed: boolean, why?: string): StatusItem {
  const checked = listed ? item.checked : null;
  const tick = checked ? 'ticked by the author' : 'not ticked';
  const note = why ?? (rule.kind === 'manual' ? rule.note : undefined);
  return {
    text: item.text,
    line: listed ? item.line : null,
    kind: rule.kind,
    checked,
    derived: false,
    state: checked ? 'done' : 'todo',
    done: Boolean(checked),
    disagrees: false,
    evidence: note ? `${tick} (${note})` : tick,
  };
}

function derivedItem(
  item: ChecklistItem,
  rule: ItemRule,
  listed: boolean,
  state: StatusItem['state'],
  evidence: string,
  extra: Pick<StatusItem, 'variants' | 'findings'> = {},
): StatusItem {
  const checked = listed ? item.checked : null;
  const done = state === 'passed';
  const disagrees = checked !== null && checked !== done;
  const tickNote = disagrees ? (checked ? ' [ticked, but not proven]' : ' [proven, but not ticked]') : '';
  return {
    text: item.text,
    line: listed ? item.line : null,
    kind: rule.kind,
    checked,
    derived: true,
    state,
    done,
    disagrees,
    evidence: evidence + tickNote,
    ...extra,
  };
}

function deriveItem(
  item: ChecklistItem,
  listed: boolean,
  evidence: ChapterEvidence,
  reports: ReportFile[],
  input: StatusInput,
): StatusItem {
  const rule = parseChecklistItem(item.text, input.config);
  switch (rule.kind) {
    case 'manual':
      return manualItem(item, rule, listed);
    case 'code-review': {
      const variants = rule.variants.map((v) => variantEvidence(v, reports, evidence.sha256));
      const state = combine(variants.map((v) => v.state));
      const text = variants.map((v) => describeVariant(v, evidence.file, input.reportsDir)).join('; ');
      return derivedItem(item, rule, listed, state, text, { variants });
    }
    case 'gist': {
      const g = evidence.gist;
      if (g.kind === 'unavailable') return manualItem(item, rule, listed, `cannot check the gist: ${g.reason}`);
      if (g.kind === 'match') return derivedItem(item, rule, listed, 'passed', `${g.file} matches what the chapter generates`);
      if (g.kind === 'same-commands') return derivedItem(item, rule, listed, 'passed', `${g.file} has every command of the chapter, in order (its comments and layout are its own)`);
      const counted = g.kind === 'differs' && g.lacks !== undefined ? `: it lacks ${g.lacks} and has ${g.extra ?? 0} extra command(s)` : '';
      const what = g.kind === 'missing' ? `${g.file} is missing` : `${g.file} differs from what the chapter generates${counted}`;
      return derivedItem(item, rule, listed, 'failed', `${what} (run: bookrun gists ${evidence.file})`);
    }
    case 'review-titles': {
      const t = evidence.titles;
      if (t.kind === 'unavailable') return manualItem(item, rule, listed, `cannot check the titles: ${t.reason}`);
      if (t.findings.length === 0) return derivedItem(item, rule, listed, 'passed', 'heading case clean', { findings: [] });
      const list = t.findings.map((f) => `line ${f.line}: ${f.message}`).join('; ');
      return derivedItem(item, rule, listed, 'failed', `${t.findings.length} heading(s) off: ${list}`, { findings: t.findings });
    }
    case 'text-review': {
      const findings: Finding[] =
        evidence.notes?.kind === 'findings'
          ? evidence.notes.findings
          : evidence.chapter.notes.map((n) => ({ line: n.line, rule: 'author-note', message: `${n.kind === 'todo' ? 'TODO' : 'NOTE'}: ${n.text}` }));
      if (findings.length === 0) return derivedItem(item, rule, listed, 'passed', 'no author notes left', { findings });
      const lines = [...new Set(findings.map((f) => f.line))].join(', ');
      return derivedItem(item, rule, listed, 'failed', `${findings.length} author note(s) left at line ${lines}`, { findings });
    }
    case 'diagrams': {
      const d = evidence.diagrams;
      if (!d) return manualItem(item, rule, listed);
      if (d.kind === 'unavailable') return manualItem(item, rule, listed, `cannot check the diagrams: ${d.reason}`);
      // Nothing drawn yet proves nothing: the author knows whether the chapter still needs its figures.
      if (d.figures === 0) return manualItem(item, rule, listed, 'the chapter has no figure yet');
      const broken = d.diagrams.filter((x) => x.state === 'error');
      const undrawn = d.diagrams.filter((x) => x.state === 'not-drawn');
      const findings: Finding[] = [
        ...broken.map((x) => ({ line: x.line, rule: 'diagram-syntax', message: `${x.label} does not render: ${x.message ?? 'mermaid refused it'}` })),
        ...d.drafts,
        ...d.missing,
      ].sort((a, b) => a.line - b.line);
      if (findings.length > 0) {
        const list = findings.map((f) => `line ${f.line}: ${f.message}`).join('; ');
        return derivedItem(item, rule, listed, 'failed', `${findings.length} figure problem(s): ${list}`, { findings });
      }
      if (undrawn.length > 0) {
        return derivedItem(item, rule, listed, 'not-run', `${undrawn.map((x) => `${x.label} (line ${x.line})`).join(', ')} not drawn yet (run: bookrun export leanpub --draft, or npm run build)`, { findings: [] });
      }
      const drawn = d.diagrams.length === 0 ? 'no diagram' : `${d.diagrams.length} ${d.diagrams.length === 1 ? 'diagram' : 'diagrams'} drawn`;
      return derivedItem(item, rule, listed, 'passed', `${d.figures} ${d.figures === 1 ? 'figure' : 'figures'} (${drawn}), no draft figure, no missing image`, { findings: [] });
    }
    case 'blog': {
      const b = evidence.blog;
      if (!b) return manualItem(item, rule, listed);
      if (b.kind === 'unavailable') return manualItem(item, rule, listed, `cannot check the blog export: ${b.reason}`);
      const run = `bookrun export blog ${evidence.file}`;
      if (b.kind === 'none') return derivedItem(item, rule, listed, 'not-run', `no post exported for ${rule.blog} yet (run: ${run})`);
      const what = `${b.format} post${b.variant ? ` (${b.variant})` : ''} in ${b.out}, ${b.writtenAt}`;
      if (b.sha256 !== evidence.sha256) return derivedItem(item, rule, listed, 'stale', `the ${what} is of an older text of the chapter (run: ${run})`);
      if (b.draft) return derivedItem(item, rule, listed, 'failed', `only a draft: the ${what} was written with --draft, ${b.findings} finding(s) left (run: ${run})`);
      return derivedItem(item, rule, listed, 'passed', `the ${what} is of the current text`);
    }
    case 'book-order': {
      if (input.bookList) {
        const list = input.bookList;
        const at = list.chapters.findIndex((c) => normalisePath(c) === normalisePath(evidence.file));
        if (at < 0) return derivedItem(item, rule, listed, 'failed', `not listed in ${list.file}: add a line with ${evidence.file.split('/').pop()} where it belongs in the book`);
        return derivedItem(item, rule, listed, 'passed', `chapter ${at + 1} of ${list.chapters.length} in ${list.file}`);
      }
      const index = input.config.chapters.findIndex((c) => normalisePath(c) === normalisePath(evidence.file));
      if (index < 0) {
        return derivedItem(item, rule, listed, 'failed', `not in the chapters of ${input.config.file}, so not in Book.txt`);
      }
      return derivedItem(item, rule, listed, 'passed', `chapter ${index + 1} of ${input.config.chapters.length} in ${input.config.file} (the Book.txt order)`);
    }
  }
}

/**
 * The status of every chapter of the book: each checklist item with its state and the evidence behind it.
 * Items bookrun can prove (code review per variant, gist, titles, text review, Book.txt) are derived from
 * evidence, and a derived item that disagrees with the author's tick says so; the rest come from the tick.
 * Pure: the caller reads the chapters, reports, gists and lint findings.
 */
export function deriveStatus(input: StatusInput): BookStatus {
  const variants = listVariants(input.config).map((v) => v.name);
  const keys = input.chapters.map((c) => c.file);
  const byChapter = new Map<string, ReportFile[]>(keys.map((k) => [k, []]));
  const unmatched: BookStatus['reports']['unmatched'] = [];
  for (const r of input.reports) {
    const key = chapterOfReport(r.report.chapter.file, keys);
    if (key === null) {
      unmatched.push({ path: r.path, reason: `chapter ${r.report.chapter.file} is not in ${input.config.file}` });
    } else if (!variants.includes(r.report.variant.name)) {
      unmatched.push({ path: r.path, reason: `variant ${r.report.variant.name} is not in the book's matrix (${variants.join(', ')})` });
    } else {
      byChapter.get(key)!.push(r);
    }
  }
  const chapters: ChapterStatus[] = input.chapters.map((evidence) => {
    const listed = evidence.chapter.checklistSection !== null || evidence.chapter.checklist.length > 0;
    const source = listed ? evidence.chapter.checklist : defaultItems(variants, evidence.chapter.steps.length > 0);
    const items = source.map((item) => deriveItem(item, listed, evidence, byChapter.get(evidence.file)!, input));
    return {
      file: evidence.file,
      title: evidence.chapter.title,
      sha256: evidence.sha256,
      checklistLine: evidence.chapter.checklistSection?.line ?? null,
      items,
      counts: {
        done: items.filter((i) => i.done).length,
        total: items.length,
        disagreements: items.filter((i) => i.disagrees).length,
      },
    };
  });
  return {
    version: 1,
    book: { title: input.config.title, config: input.config.file },
    reportsDir: input.reportsDir,
    variants,
    chapters,
    reports: { read: input.reports.length, unmatched },
  };
}
