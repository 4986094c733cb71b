/** Tools whose `--watch`/`-w` flag keeps them running until ctrl+c. */
const WATCH_FLAG_TOOLS = new Set(['kubectl', 'oc', 'jx', 'k', 'helm', 'argo', 'tkn', 'flux', 'kn', 'linkerd', 'istioctl']);
/** Tools whose `-f`/`--follow` means follow (elsewhere `-f` is often a file: `kubectl apply -f`). */
const FOLLOW_TOOLS = new Set(['tail', 'journalctl', 'kail']);
/** Tools that follow logs by default. */
const ALWAYS_FOLLOW = new Set(['stern']);
/** Commands that never end by themselves. */
const ENDLESS = new Set(['watch', 'top', 'htop', 'k9s']);

/** Joins `\` continuations and drops quoted strings, so flags can be read word by word. */
function words(command: string): string[] {
  const flat = command
    .replace(/\\\r?\n/g, ' ')
    .replace(/'[^']*'/g, "''")
    .replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const firstPipeline = flat.split(/\n/)[0]!;
  return firstPipeline.split(/\s+/).filter(Boolean);
}

/**
 * Whether a command keeps running until the reader presses ctrl+c, judged by its flags:
 * `kubectl get pods --watch`, `jx get activities -w`, `kubectl logs … --follow`, `tail -f`, `watch …`.
 */
export function detectWatch(command: string): boolean {
  const all = words(command);
  // Skip leading assignments (`FOO=bar kubectl …`) and `sudo`/`time`/`env`.
  let i = 0;
  while (i < all.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(all[i]!) || ['sudo', 'time', 'env', 'exec', 'command'].includes(all[i]!))) i++;
  const segments: string[][] = [];
  let current: string[] = [];
  for (const word of all.slice(i)) {
    if (word === '|' || word === '&&' || word === '||' || word === ';') {
      segments.push(current);
      current = [];
    } else current.push(word);
  }
  segments.push(current);
  return segments.some((segment) => {
    const tool = (segment[0] ?? '').split('/').pop()!;
    if (ENDLESS.has(tool)) return true;
    const args = segment.slice(1);
    const has = (...flags: string[]) => args.some((a) => flags.includes(a) || flags.some((f) => f.startsWith('--') && a.startsWith(`${f}=`) && !/=false$/.test(a)));
    if (WATCH_FLAG_TOOLS.has(tool) && has('--watch', '-w', '--watch-only')) return true;
    if (ALWAYS_FOLLOW.has(tool)) return true;
    if (FOLLOW_TOOLS.has(tool) && has('-f', '-F', '--follow')) return true;
    if (args.includes('logs') || args.includes('log')) {
      if (has('-f', '--follow')) return true;
    }
    return false;
  });
}
