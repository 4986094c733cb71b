/** Commands that end by themselves at once: a "press ctrl+c" hint is never about them. */
const SHORT_LIVED = new Set([
  'kill', 'pkill', 'killall', 'echo', 'printf', 'cd', 'pushd', 'popd', 'export', 'unset', 'source', '.', 'alias', 'unalias',
  'rm', 'mv', 'cp', 'mkdir', 'rmdir', 'touch', 'chmod', 'chown', 'ln', 'ls', 'pwd', 'true', 'false', 'exit', 'set', 'shopt',
  'type', 'which', 'jobs', 'disown', 'clear', 'history', 'hash', 'umask', 'test', '[', 'date', 'whoami', 'hostname',
]);

/**
 * Whether a command surely ends by itself (`kill %1`, `echo …`, `cd x`, an assignment, anything sent to the
 * background with `&`), so a ctrl+c instruction near it must be about some other command.
 */
export function detectShortLived(command: string): boolean {
  const flat = command.replace(/\\\r?\n/g, ' ').trim();
  if (/(?:^|[^&])&\s*$/.test(flat)) return true;
  const lines = flat.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const last = lines[lines.length - 1] ?? '';
  const segments = last.split(/\|\|?|&&|;/).map((s) => s.trim()).filter(Boolean);
  return segments.every((segment) => {
    const words = segment.split(/\s+/);
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
    if (i === words.length) return true; // only assignments
    return SHORT_LIVED.has(words[i]!);
  });
}
