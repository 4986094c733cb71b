import { digestStep } from '../core/digest-step.ts';
import { toHiddenLines } from '../core/to-hidden-lines.ts';
import type { Block, Chapter, Condition, Plan, Step } from '../core/model.ts';

/** What the browser knows of one step: everything to show, copy and run it, nothing to parse. */
export interface SiteStep {
  id: string;
  line: number;
  command: string;
  /** {@link digestStep} of the command: sent with Run so the server refuses a step that is not this one. */
  digest: string;
  /** 1 = the reader's main terminal, 2 = "a second terminal". */
  terminal: number;
  watch: boolean;
  /** Watch: the server stops the step once its output matches this regular expression. */
  until: string | null;
  /** Placeholders this step assigns (`VERSION=[...]`): inputs before Run. */
  placeholders: string[];
  /** Canonical condition text (`eks`, `not eks`), null when the step applies everywhere. */
  condition: string | null;
  /** What readers see beside a conditional step: `only for EKS`, `not for EKS`, `only if already cloned`. */
  conditionLabel: string | null;
  /** Variant names the step applies to; null when it applies to every variant. */
  variants: string[] | null;
  expect: { text: string; lang: string | null; source: 'fence' | 'pasted' } | null;
  /** Skipped in automation (`# bookrun: skip`): the reader still runs it. */
  skip: boolean;
}

/** A run of displayed lines of a shell block: plain lines, author-note lines (dev only) or a step's lines. */
export type SiteSegment =
  | { kind: 'text'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'step'; step: string; text: string };

/** The serialized props of one shell block on the site (the CodeBlock wrapper's `data-bookrun`). */
export interface BlockProps {
  version: 1;
  /** Chapter path relative to the book root, as in bookrun.yaml and the terminal protocol's `run.chapter`. */
  chapter: string;
  block: number;
  line: number;
  lang: string;
  segments: SiteSegment[];
  steps: SiteStep[];
  /** Placeholders the block's steps assign, with the chapter's description of each. */
  placeholders: Array<{ name: string; description: string | null }>;
}

/** Options of {@link toBlockProps}. */
export interface ToBlockPropsOptions {
  /** Chapter key (relative to the book root). */
  chapter: string;
  /** Plans of the chapter for every variant of the book, in matrix order. */
  plans: Plan[];
  /** Dev builds show author notes (`# TODO:` lines) in code; production builds drop them. */
  showNotes: boolean;
  /** Dimension values written in capitals in labels (`eks` → `EKS`): the book's short cloud names. */
  upperCase?: (token: string) => boolean;
}

const defaultUpper = (token: string): boolean => token.length <= 3 && /^[a-z]+$/.test(token);

/** `only for EKS`, `not for EKS`, `only for EKS or AKS`, `only if already cloned`. */
export function toConditionLabel(condition: Condition, upperCase: (token: string) => boolean = defaultUpper): string {
  const words = condition.tokens.map((t) => (upperCase(t) ? t.toUpperCase() : t));
  const joined = words.join(` ${condition.op} `);
  if (condition.unknown.length === condition.tokens.length && condition.tokens.length > 0) {
    return `${condition.negate ? 'only if not' : 'only if'} ${joined}`;
  }
  return `${condition.negate ? 'not for' : 'only for'} ${joined}`;
}

/**
 * What a chapter's blocks share, made once per chapter rather than once per block (a site build asks for every
 * block of every chapter): its hidden lines, and the ids of the steps each plan includes.
 */
const hiddenOf = new WeakMap<Chapter, ReturnType<typeof toHiddenLines>>();
const includedOf = new WeakMap<Plan[], Array<{ variant: string; steps: Set<string> }>>();

function hiddenLinesOf(chapter: Chapter): ReturnType<typeof toHiddenLines> {
  let hidden = hiddenOf.get(chapter);
  if (!hidden) hiddenOf.set(chapter, (hidden = toHiddenLines(chapter)));
  return hidden;
}

function includedSteps(plans: Plan[]): Array<{ variant: string; steps: Set<string> }> {
  let included = includedOf.get(plans);
  if (!included) includedOf.set(plans, (included = plans.map((p) => ({ variant: p.variant.name, steps: new Set(p.steps.filter((s) => s.included).map((s) => s.id)) }))));
  return included;
}

function toSiteStep(step: Step, plans: Plan[], upperCase: (token: string) => boolean): SiteStep {
  const included = includedSteps(plans).filter((p) => p.steps.has(step.id)).map((p) => p.variant);
  return {
    id: step.id,
    line: step.line,
    command: step.command,
    digest: digestStep(step.command),
    terminal: step.terminal,
    watch: step.watch,
    until: step.annotations.until ?? null,
    placeholders: step.placeholders,
    condition: step.condition?.text ?? null,
    conditionLabel: step.condition ? toConditionLabel(step.condition, upperCase) : null,
    variants: included.length === plans.length ? null : included,
    expect: step.expect ? { text: step.expect.text, lang: step.expect.lang, source: step.expect.source } : null,
    skip: step.annotations.skip ?? false,
  };
}

/**
 * The props of one shell block: its displayed lines cut into segments (so a step's lines, with the
 * comments right above it, hide together when the step does not apply to the chosen variant), and the
 * plan data of its steps. `# bookrun:` annotation lines are never shown; author-note lines only when
 * `showNotes`.
 */
export function toBlockProps(chapter: Chapter, block: Block, options: ToBlockPropsOptions): BlockProps {
  const upperCase = options.upperCase ?? defaultUpper;
  const steps = chapter.steps.filter((s) => s.block === block.index).sort((a, b) => a.line - b.line);
  const first = block.contentLine;
  const last = block.open ? block.endLine : block.endLine - 1;
  const line = (n: number): string => chapter.lines[n - 1] ?? '';
  // The same hidden lines as the gist and the manuscript: notes (and the commands parked under them), annotations.
  const hiddenKind = hiddenLinesOf(chapter);

  // Which step owns each line: the command's lines plus the paragraph of comments right above it
  // (and its condition comment, even when a blank line separates them).
  const owner = new Map<number, string>();
  // A transcript's output lines belong to the command that printed them, never to the next one.
  const printed = new Set<number>();
  for (const step of steps) {
    if (step.expect?.source !== 'pasted') continue;
    const count = step.expect.text.split('\n').length;
    for (let n = step.expect.line; n < step.expect.line + count; n++) printed.add(n);
  }
  let previousEnd = first - 1;
  for (const step of steps) {
    let start = step.line;
    while (start - 1 > previousEnd && start - 1 >= first && line(start - 1).trim() !== '' && !printed.has(start - 1)) start--;
    if (step.condition && step.condition.line > previousEnd && step.condition.line >= first && step.condition.line < start) {
      start = step.condition.line;
    }
    for (let n = start; n <= step.endLine; n++) owner.set(n, step.id);
    previousEnd = step.endLine;
  }

  const segments: SiteSegment[] = [];
  let pendingBlank: string[] = [];
  const push = (kind: 'text' | 'note' | 'step', text: string, step?: string): void => {
    const tail = segments[segments.length - 1];
    if (tail && tail.kind === kind && (kind !== 'step' || (tail.kind === 'step' && tail.step === step))) {
      tail.text += `\n${text}`;
      return;
    }
    segments.push(kind === 'step' ? { kind, step: step!, text } : { kind, text });
  };
  for (let n = first; n <= last; n++) {
    const hidden = hiddenKind.get(n);
    if (hidden === 'annotation' || hidden === 'checklist') continue;
    if (hidden === 'note' && !options.showNotes) continue;
    const text = line(n);
    const stepId = owner.get(n);
    if (text.trim() === '' && !stepId) {
      pendingBlank.push(text);
      continue;
    }
    const kind = hidden === 'note' ? 'note' : stepId ? 'step' : 'text';
    // Blank lines before a step travel with it, so hiding the step leaves no double gap.
    if (pendingBlank.length > 0) {
      if (kind === 'step' && segments.length > 0) {
        segments.push({ kind: 'step', step: stepId!, text: pendingBlank.join('\n') });
      } else if (segments.length > 0) {
        for (const b of pendingBlank) push('text', b);
      }
      pendingBlank = [];
    }
    push(kind, text, stepId);
  }

  const assigned = new Set(steps.flatMap((s) => s.placeholders));
  return {
    version: 1,
    chapter: options.chapter,
    block: block.index,
    line: block.line,
    lang: block.lang ?? 'bash',
    segments,
    steps: steps.map((s) => toSiteStep(s, options.plans, upperCase)),
    placeholders: [...assigned].map((name) => ({
      name,
      description: chapter.placeholders.find((p) => p.name === name)?.description ?? null,
    })),
  };
}
