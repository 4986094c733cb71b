import type { BookConfig } from '../core/book-config.ts';
import type { Chapter, Diagnostic } from '../core/model.ts';
import { loadMermaidParser } from '../diagrams/load-mermaid-parser.ts';
import { checkChapter } from './check-chapter.ts';
import { checkDiagramSyntax } from './check-diagram-syntax.ts';
import { spawnBashSyntax } from './spawn-bash-syntax.ts';
import { spawnShellcheck } from './spawn-shellcheck.ts';

/** Options of {@link spawnLintChecks}. */
export interface LintOptions {
  /** Crosslink targets (the whole book's ids); defaults to the chapter's own. */
  ids?: Set<string>;
  /** Run `bash -n` and ShellCheck on every command (default true). */
  shell?: boolean;
}

/**
 * Every lint rule on one parsed chapter: the pure rules of {@link checkChapter}, mermaid's parser on each
 * diagram, then `bash -n` on each command and ShellCheck (when installed) on the commands that parse. Sorted by line.
 */
export async function spawnLintChecks(chapter: Chapter, config: BookConfig, options: LintOptions = {}): Promise<Diagnostic[]> {
  const found = checkChapter(chapter, config, { ids: options.ids });
  // mermaid's parser (half a second to load) only for chapters that draw diagrams.
  if (chapter.figures.some((f) => f.kind === 'diagram')) found.push(...(await checkDiagramSyntax(chapter, await loadMermaidParser())));
  if (options.shell !== false && chapter.steps.length > 0) {
    // The parser already reports what its shell parser rejects; bash -n adds what only bash knows.
    const parsed = found.filter((d) => d.rule === 'shell-syntax');
    const bash = await spawnBashSyntax(chapter.steps);
    const syntax = bash.filter((d) => {
      const step = chapter.steps.find((s) => d.message.endsWith(`at line ${s.line})`));
      return !step || !parsed.some((p) => p.line >= step.line && p.line <= Math.max(step.endLine, d.line));
    });
    const broken = new Set(bash.map((d) => d.message.match(/at line (\d+)\)$/)?.[1]));
    const parsing = chapter.steps.filter((s) => !broken.has(String(s.line)));
    found.push(...syntax, ...(await spawnShellcheck(parsing)));
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}
