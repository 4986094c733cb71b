import { diffArrays } from 'diff';
import type { GistCommand } from './parse-gist-commands.ts';

/** How a published gist differs from its chapter, command by command. */
export interface GistDrift {
  /** Commands the chapter has that the published gist lacks (line: in the generated gist). */
  lacks: GistCommand[];
  /** Commands the published gist has that the chapter does not (line: in the published gist). */
  extra: GistCommand[];
}

/**
 * Compares the commands a chapter generates with those of its published gist, in order (a command moved
 * counts as lacking where it was and extra where it is now): what the gist lacks and what it has extra.
 * Comments and layout (`\` continuations, indentation) do not count. Pure.
 */
export function checkGistDrift(generated: GistCommand[], published: GistCommand[]): GistDrift {
  const lacks: GistCommand[] = [];
  const extra: GistCommand[] = [];
  let g = 0;
  let p = 0;
  for (const part of diffArrays(generated.map((c) => c.normal), published.map((c) => c.normal))) {
    const n = part.count ?? part.value.length;
    if (part.added) {
      extra.push(...published.slice(p, p + n));
      p += n;
    } else if (part.removed) {
      lacks.push(...generated.slice(g, g + n));
      g += n;
    } else {
      g += n;
      p += n;
    }
  }
  return { lacks, extra };
}
