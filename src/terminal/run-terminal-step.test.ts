/**
 * The page's Run, server side: a real shell in a real pty, the runner's own executor and judge. The page's
 * check results mask the book's secrets, and the reader's ctrl+c ends a step even between two attempts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBook } from '../book/read-book.ts';
import type { RunStatusMessage } from '../core/terminal-protocol.ts';
import { spawnShellSession } from '../run/shell-session.ts';
import { runTerminalStep } from './run-terminal-step.ts';
import { Terminal } from './terminal.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const chapter = `# Logging In

## Checking

\`\`\`bash
echo "token: $GH_TOKEN"
\`\`\`

The output is as follows.

\`\`\`
token: the-example-token
\`\`\`

## Waiting

\`\`\`bash
echo "no healthy upstream"

# Repeat if \`no healthy upstream\`
\`\`\`
`;

async function setup(token: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-terminal-step-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'bookrun.yaml'), 'title: T\nchapters: [ch.md]\nvariants:\n  dimensions:\n    cloud: [local]\nci:\n  secrets:\n    GH_TOKEN: GH_TOKEN\n');
  writeFileSync(path.join(dir, 'ch.md'), chapter);
  const book = await readBook({ config: path.join(dir, 'bookrun.yaml') });
  const shell = spawnShellSession({ cwd: dir, env: { ...process.env, HOME: dir, GH_TOKEN: token, PS1: '$ ' }, interactiveEcho: true });
  const terminal = new Terminal(1, shell);
  cleanups.push(() => terminal.dispose());
  await shell.ready;
  const statuses: RunStatusMessage[] = [];
  const run = (step: string, onStatus: (s: RunStatusMessage) => void = () => undefined) =>
    runTerminalStep({
      book,
      request: { type: 'run', id: `r-${step}`, chapter: 'ch.md', step, variant: 'local' },
      terminal: () => terminal,
      report: (s) => {
        statuses.push(s);
        onStatus(s);
      },
      refuse: (message) => {
        throw new Error(message);
      },
      secrets: [token],
      policy: { retry: { attempts: 10, firstDelayMs: 5000, maxDelayMs: 5000 }, eventualIntervalMs: 500, waitTimeoutMs: 60_000 },
    });
  return { terminal, statuses, run };
}

describe('runTerminalStep', () => {
  it('masks the book\'s secrets in the check results it sends the page', async () => {
    const token = 'ghp_PageMustNotSeeThis123';
    const { statuses, run } = await setup(token);
    await run('L6');
    const last = statuses.at(-1)!;
    expect(last).toMatchObject({ status: 'failed', attempts: 1, reason: 'the output does not match the expected output at line 11' });
    expect(last.status === 'failed' && last.expect?.diff).toContain('+token: ***');
    expect(JSON.stringify(statuses)).not.toContain(token);
  });

  it('reports each further attempt, and stops at the reader\'s ctrl+c while it waits for the next one', async () => {
    const { terminal, statuses, run } = await setup('unused-secret');
    await run('L18', (s) => {
      if (s.status === 'running' && s.attempt === 2) terminal.signal('SIGINT');
    });
    expect(statuses.filter((s) => s.status === 'running').map((s) => (s.status === 'running' ? (s.attempt ?? 1) : 0))).toEqual([1, 2]);
    expect(statuses[1]).toMatchObject({ status: 'running', attempt: 2, delayMs: 5000, why: 'the output contains "no healthy upstream"' });
    expect(statuses.at(-1)).toMatchObject({ status: 'interrupted', attempts: 1, reason: 'stopped by hand (ctrl+c) before the next attempt' });
    expect(terminal.running).toBeNull();
  });
});
