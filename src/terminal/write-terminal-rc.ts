import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What the names of the server's rc files look like (`end-orphans` removes only such files). */
export const TERMINAL_RC_PATTERN = /^bookrun-terminal-rc-\d+-[0-9a-f]{12}\.sh$/;

/**
 * Writes the rc file of the reader's terminals (0600, in the temporary folder): their own rc file, then what
 * makes book commands behave as typed. History expansion off, so a `!` inside a command (`sed -e "s@x@y!@g"`)
 * is not an event; bracketed paste on, which is how a step's output is told apart from the echo of its
 * command. The server deletes it when it stops (or, after a crash, the next server does).
 */
export function writeTerminalRc(userRc: string | null): string {
  const file = path.join(tmpdir(), `bookrun-terminal-rc-${process.pid}-${randomBytes(6).toString('hex')}.sh`);
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const lines = ['# bookrun serve: rc file of the reader terminals (deleted when the server stops)'];
  if (userRc) lines.push(`[ -r ${quote(userRc)} ] && . ${quote(userRc)}`);
  lines.push('set +H', "bind 'set enable-bracketed-paste on' 2>/dev/null");
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}
