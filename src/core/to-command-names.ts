import type { Step } from './model.ts';

/** Shell words that start a command line without being a command name. */
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', 'function', 'select', 'time', 'sudo', 'env', 'exec', 'command', 'builtin', 'export', 'local', 'readonly', 'declare', 'eval', 'nohup', 'xargs', 'watch']);

/**
 * The names of the programs a chapter's commands run (`kubectl`, `ps`, `kill`), lower case: the first word of
 * every pipeline segment, after assignments and wrappers (`sudo`, `env`, `xargs`, `watch`) and their options.
 */
export function toCommandNames(steps: readonly Pick<Step, 'command'>[]): Set<string> {
  const names = new Set<string>();
  for (const step of steps) {
    const flat = step.command.replace(/\\\r?\n/g, ' ').replace(/'[^'\n]*'|"(?:[^"\\\n]|\\.)*"/g, ' ');
    for (const segment of flat.split(/\|\|?|&&|;|\n|\$\(|`|\(|\)|\{|\}/)) {
      for (const word of segment.trim().split(/\s+/)) {
        if (word === '' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || word.startsWith('-')) continue;
        const name = word.split('/').pop()!.toLowerCase();
        if (KEYWORDS.has(name)) continue;
        if (/^[a-z][\w.+-]*$/.test(name)) names.add(name);
        break;
      }
    }
  }
  return names;
}
