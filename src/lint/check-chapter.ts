import type { BookConfig } from '../core/book-config.ts';
import { findGistLinks } from '../core/gist-links.ts';
import type { Chapter, Diagnostic } from '../core/model.ts';
import { toCommandNames } from '../core/to-command-names.ts';
import { checkFigures } from './check-figures.ts';
import { checkHeadingCase } from './check-heading-case.ts';
import { checkSameFilePipeline } from './check-same-file-pipeline.ts';
import { toCrosslinkIds } from '../core/to-crosslink-ids.ts';

/** How a finding names the book's `style.headingCase`. */
const CASE_NAMES: Record<BookConfig['headingCase'], string> = {
  'every-word': 'title case (every word capitalised)',
  chicago: 'Chicago title case',
  sentence: 'sentence case',
  off: 'any case',
};

/** Options of {@link checkChapter}. */
export interface CheckChapterOptions {
  /**
   * Ids crosslinks may point to (every chapter of the book, or of the export). Defaults to this
   * chapter's own ids.
   */
  ids?: Set<string>;
}

/**
 * The pure lint rules on a parsed chapter (no shell involved), merged with the parser's own diagnostics
 * (`output-in-shell-block`, `unknown-condition`, …). One finding per rule and line.
 *
 * Rules: `author-note`, `todo-link`, `gist-link`, `heading-case`, `unknown-condition`,
 * `placeholder-unexplained`, `watch-without-end`, `same-file-pipeline`, `crosslink-missing`, `fence-open`,
 * `figure-todo` (and, from the parser, `image-missing` and `figure-number`).
 */
export function checkChapter(chapter: Chapter, config: BookConfig, options: CheckChapterOptions = {}): Diagnostic[] {
  const found: Diagnostic[] = [...chapter.diagnostics];
  const add = (d: Diagnostic) => found.push(d);

  // Links to `TODO` are reported as gist links or TODO links below; other link notes as author notes.
  const linkLines = new Set(chapter.links.filter((l) => /todo/i.test(l.url)).map((l) => l.line));
  for (const note of chapter.notes) {
    if (note.where === 'link' && linkLines.has(note.line)) continue;
    // Draft figures (`Figure 1-TODO`) are the figure-todo rule's.
    if (note.where === 'figure') continue;
    add({
      line: note.line,
      column: 1,
      rule: 'author-note',
      severity: 'warning',
      message: `author note left: "${note.text.trim()}": resolve it and delete the line before publishing`,
    });
  }

  for (const d of checkFigures(chapter)) add(d);

  const gistLinks = findGistLinks(chapter, config);
  for (const link of gistLinks) {
    const name = link.gist ?? link.text;
    if (link.resolved !== null) {
      // Filled on the site and in the manuscript, but the source still says TODO: worth knowing.
      if (link.placeholder) {
        add({
          line: link.line,
          column: link.column,
          rule: 'gist-link',
          severity: 'info',
          message: `gist link ${link.text ? `"${link.text}" ` : ''}has no target in the chapter (${link.url}); the published outputs fill it from gists.urls["${name}"]`,
        });
      }
      continue;
    }
    add({
      line: link.line,
      column: link.column,
      rule: 'gist-link',
      severity: link.placeholder ? 'error' : 'warning',
      message:
        link.gist === null
          ? `link to a gist that is not in the gists manifest (${link.url}): add it to gists.urls in ${config.file}`
          : `gist ${name} has no URL yet: publish it and set gists.urls["${link.gist}"] in ${config.file}`,
    });
  }
  const gistAt = new Set(gistLinks.map((l) => `${l.line}:${l.column}`));
  for (const link of chapter.links) {
    if (!/todo/i.test(link.url) || gistAt.has(`${link.line}:${link.column}`)) continue;
    add({
      line: link.line,
      column: link.column,
      rule: 'todo-link',
      severity: 'error',
      message: `link target is an author note ([${link.text}](${link.url})): write the real target`,
    });
  }

  if (config.headingCase !== 'off') {
    // The names of the chapter's own commands (`ps`, `kill`) keep their case in headings.
    const commands = toCommandNames(chapter.steps);
    for (const heading of chapter.headings) {
      if (chapter.checklistSection && heading.line === chapter.checklistSection.line) continue;
      const off = checkHeadingCase(heading.written, config.headingCase, commands);
      if (!off) continue;
      add({
        line: heading.line,
        column: 1,
        rule: 'heading-case',
        severity: 'warning',
        message: `heading "${heading.written}" is not in ${CASE_NAMES[config.headingCase]}: ${off.words.map((w) => `"${w}"`).join(', ')}; write "${off.expected}"`,
      });
    }
  }

  for (const step of chapter.steps) {
    const condition = step.condition;
    if (condition && condition.unknown.length > 0 && config.unknownConditions.severity !== 'off') {
      add({
        line: condition.line,
        column: 1,
        rule: 'unknown-condition',
        severity: config.unknownConditions.severity,
        message: `condition "${condition.source.trim()}" has unknown ${condition.unknown.length === 1 ? 'token' : 'tokens'} ${condition.unknown.map((t) => `"${t}"`).join(', ')}: use a variant value (${config.dimensions.flatMap((d) => d.values).join(', ')}) or add an alias under conditions.aliases`,
      });
    }
    for (const same of checkSameFilePipeline(step.command)) {
      add({
        line: step.line + same.line - 1,
        column: 1,
        rule: 'same-file-pipeline',
        severity: 'warning',
        message: `the pipeline reads and writes ${same.file} (like ShellCheck's SC2094): the writer may truncate it before it is read; write to a temporary file and move it, or use \`sed -i\``,
      });
    }
    if (step.watch && step.annotations.until === undefined && !step.annotations.skip) {
      add({
        line: step.line,
        column: 1,
        rule: 'watch-without-end',
        severity: 'warning',
        message: 'watch ends only by timeout in automation: add `# bookrun: until=/pattern/` above it (the output line that means "done")',
      });
    }
  }

  for (const placeholder of chapter.placeholders) {
    if (placeholder.description !== null) continue;
    add({
      line: placeholder.line,
      column: 1,
      rule: 'placeholder-unexplained',
      severity: 'warning',
      message: `placeholder ${placeholder.name}=[...] is never explained before it: tell readers what to replace \`[...]\` with`,
    });
  }

  const ids = options.ids ?? toCrosslinkIds(chapter);
  for (const link of chapter.links) {
    if (!link.url.startsWith('#')) continue;
    const id = link.url.slice(1);
    if (ids.has(id)) continue;
    add({
      line: link.line,
      column: link.column,
      rule: 'crosslink-missing',
      severity: 'error',
      message: `crosslink to #${id}, which no heading or {#id} of the book defines: fix the id or add {#${id}} to its heading`,
    });
  }

  for (const block of chapter.blocks) {
    if (!block.open) continue;
    add({
      line: block.line,
      column: 1,
      rule: 'fence-open',
      severity: 'error',
      message: 'code fence is never closed: it swallows the rest of the chapter; add the closing fence',
    });
  }

  return dedupe(found);
}

/** One finding per rule and line: the parser and the rules may both see an open fence or an unknown condition. */
function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const kept: Diagnostic[] = [];
  for (const d of list) {
    const key = `${d.rule}:${d.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(d);
  }
  return kept.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}
