import type { GistLink } from '../core/gist-links.ts';
import type { Chapter } from '../core/model.ts';
import type { BlogFinding } from './blog-post.ts';

/**
 * What keeps a chapter from going out as a post: author notes (prose, `# TODO:` comments, `(TODO:)` links
 * that are no fillable gist link), draft figures (`Figure 17-TODO`), gist links with no URL, images that do
 * not exist (when the chapter was read with its images looked for). Unchecked checklist items are not
 * findings: the checklist is the author's and never published.
 */
export function toBlogFindings(chapter: Pick<Chapter, 'notes' | 'diagnostics'>, gistLinks: GistLink[]): BlogFinding[] {
  const findings: BlogFinding[] = [];
  const gistLines = new Set(gistLinks.map((l) => l.line));
  for (const note of chapter.notes) {
    if (note.where === 'link' && gistLines.has(note.line)) continue; // filled, or reported below
    if (note.where === 'figure') findings.push({ line: note.line, rule: 'figure-todo', message: `draft figure: ${note.text.trim()}` });
    else findings.push({ line: note.line, rule: 'author-note', message: `author note: ${note.text.trim()}` });
  }
  for (const link of gistLinks) {
    if (link.resolved === null) findings.push({ line: link.line, rule: 'gist-link', message: `gist link ${link.gist ?? link.url} has no URL in gists.urls` });
  }
  for (const d of chapter.diagnostics) {
    if (d.rule === 'image-missing') findings.push({ line: d.line, rule: d.rule, message: d.message });
  }
  return findings.sort((a, b) => a.line - b.line);
}
