import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnShellSession, type ShellSession } from './shell-session.ts';
import { listMarkedProcesses, processGroupGone } from './list-processes.ts';

const sessions: ShellSession[] = [];
const dirs: string[] = [];
function open(options: Partial<Parameters<typeof spawnShellSession>[0]> = {}): ShellSession {
  const cwd = mkdtempSync(path.join(tmpdir(), 'bookrun-session-'));
  dirs.push(cwd);
  const session = spawnShellSession({ cwd, ...options });
  sessions.push(session);
  return session;
}


afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('spawnShellSession', () => {
  it('keeps variables, exports, functions and cwd from one command to the next', async () => {
    const s = open();
    expect((await s.run('NAME=reader\nexport GREETING=hello\ngreet() { echo "$GREETING, $1"; }')).kind).toBe('exited');
    await s.run('mkdir -p sub/dir && cd sub/dir');
    const result = await s.run('greet "$NAME"; basename "$PWD"; bash -c \'echo "child sees $GREETING"\'');
    expect(result).toMatchObject({ kind: 'exited', exitCode: 0, output: 'hello, reader\ndir\nchild sees hello\n' });
  });

  it('keeps its sentinels when a chapter sets its own prompt (source ~/.bashrc)', async () => {
    const s = open();
    const result = await s.run('PS1="\\u@\\h:\\w\\$ "; PROMPT_COMMAND="history -a"; echo set');
    expect(result.output).toContain('readonly variable');
    expect(await s.run('echo "still here"')).toMatchObject({ exitCode: 0, output: 'still here\n' });
  });

  it('reports the exit status and plain output without the echoed command or colours', async () => {
    const s = open();
    const result = await s.run('printf "\\033[31mred\\033[0m\\n"; (exit 3)');
    expect(result).toMatchObject({ kind: 'exited', exitCode: 3, output: 'red\n' });
  });

  it('types multi-line commands as written: quoted blank lines, heredocs with tabs, continuations', async () => {
    const s = open();
    const command = ['echo "first', '', 'third" \\', '  "and more"', 'cat <<EOF', 'a\tb', '', 'c', 'EOF'].join('\n');
    const result = await s.run(command);
    expect(result).toMatchObject({ kind: 'exited', exitCode: 0, output: 'first\n\nthird and more\na\tb\n\nc\n' });
  });

  it('types a command written with CRLF line ends as the reader’s terminal would get it', async () => {
    const s = open();
    expect(await s.run('X=crlf\r\necho "$X" \\\r\n  done\r\n')).toMatchObject({ exitCode: 0, output: 'crlf done\n' });
  });

  it('runs every top-level line of a command and reports the status of the last', async () => {
    const s = open();
    expect(await s.run('echo one\nfalse\necho two')).toMatchObject({ exitCode: 0, output: 'one\ntwo\n' });
    expect(await s.run('echo three\nfalse')).toMatchObject({ exitCode: 1, output: 'three\n' });
    expect(await s.run('echo four')).toMatchObject({ exitCode: 0, output: 'four\n' });
  });

  it('cancels an incomplete command instead of hanging, and says why', async () => {
    const s = open();
    const result = await s.run('echo "never closed');
    expect(result).toMatchObject({ kind: 'exited', exitCode: 130 });
    expect(result.output).toContain('unclosed quote');
    expect(await s.run('echo next')).toMatchObject({ exitCode: 0, output: 'next\n' });
  });

  it('ends a command at its timeout as ctrl+c would, and the shell goes on', async () => {
    const s = open();
    const result = await s.run('echo started; sleep 30', { timeoutMs: 300 });
    expect(result.kind).toBe('timed-out');
    expect(result.output).toContain('started');
    expect(await s.run('echo alive')).toMatchObject({ exitCode: 0, output: 'alive\n' });
  });

  it('ends a watch once its output matches the until pattern', async () => {
    const s = open();
    const result = await s.run('for i in $(seq 1 100); do echo "tick $i"; sleep 0.05; done', { until: /tick 3\b/ });
    expect(result).toMatchObject({ kind: 'interrupted', reason: 'until', exitCode: 130 });
    expect(result.output).toContain('tick 3');
    expect(result.output).not.toContain('tick 90');
  });

  it('stays in step with its commands when an interrupt races the command’s own end', async () => {
    const s = open();
    for (let i = 0; i < 15; i += 1) {
      // A ctrl+c that arrives just as the command ends lands on the prompt; the next result must not be its.
      await s.run(i % 2 ? 'sleep 0.03' : 'for j in 1 2 3; do sleep 0.01; done', { timeoutMs: 25 + (i % 4) * 5 });
      expect(await s.run(`echo "after ${i}"`)).toMatchObject({ kind: 'exited', exitCode: 0, output: `after ${i}\n` });
    }
  });

  it('escalates when a program ignores ctrl+c', async () => {
    const s = open();
    const result = await s.run("trap '' INT; sleep 30", { timeoutMs: 200 });
    expect(result.kind).toBe('timed-out');
    expect(await s.run('echo still here')).toMatchObject({ output: 'still here\n' });
  });

  it('interrupt() stops the running command', async () => {
    const s = open();
    const chunks: string[] = [];
    const running = s.run('echo waiting; sleep 30', { onOutput: (c) => chunks.push(c) });
    while (!chunks.join('').includes('waiting')) await new Promise((r) => setTimeout(r, 10));
    s.interrupt();
    expect(await running).toMatchObject({ kind: 'interrupted', reason: 'interrupt', exitCode: 130 });
  });

  it('dispose() ends the shell and every process group it started, background jobs included', async () => {
    const s = open();
    await s.run('sleep 60 &');
    await s.run('(sleep 60; echo late) &');
    const pids = (await s.run('jobs -p')).output.trim().split('\n').map(Number);
    expect(pids.length).toBe(2);
    const running = s.run('sleep 60');
    await new Promise((r) => setTimeout(r, 100));
    await s.dispose();
    expect((await running).kind).toBe('interrupted');
    for (const pgid of [s.pid, ...pids]) expect(processGroupGone(pgid)).toBe(true);
  });

  it('dispose() also ends what left its session (setsid, setsid --fork, a double fork): all carry its marker', async () => {
    const s = open();
    expect(s.marker.name).toMatch(/^BOOKRUN_SHELL_[0-9a-f]{16}$/);
    const quiet = '>/dev/null 2>&1 </dev/null';
    await s.run(`setsid sleep 4601 ${quiet} & setsid --fork sleep 4602 ${quiet}; ( ( sleep 4603 ${quiet} & ) & )`);
    const marked = () => listMarkedProcesses(s.marker).filter((p) => p.comm === 'sleep');
    for (let i = 0; i < 200 && marked().length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(marked()).toHaveLength(3);
    expect(marked().filter((p) => p.sid !== s.pid).length).toBeGreaterThanOrEqual(2);
    await s.dispose();
    expect(marked()).toEqual([]);
  });

  it('takes the marker it is given (the terminal server names itself in it)', async () => {
    const s = open({ marker: { name: 'BOOKRUN_TERMINAL_0123456789ab', value: '1-test' } });
    expect((await s.run('echo "$BOOKRUN_TERMINAL_0123456789ab"')).output).toBe('1-test\n');
  });

  it('streams raw data for a terminal, sources an rc file and echoes in interactive mode', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-rc-'));
    dirs.push(dir);
    const rc = path.join(dir, 'rc.sh');
    writeFileSync(rc, 'PS1="reader$ "\nFROM_RC=yes\n');
    const s = open({ rcfile: rc, interactiveEcho: true });
    let raw = '';
    const listener = s.onData((d) => (raw += d));
    const result = await s.run('echo "rc says $FROM_RC"');
    listener.dispose();
    // The reader sees the prompt and the echo; the result holds only what the command printed.
    expect(result).toMatchObject({ kind: 'exited', exitCode: 0, output: 'rc says yes\n' });
    expect(raw).toContain('reader$ ');
    expect(raw).toContain('echo "rc says $FROM_RC"');
    const multi = await s.run('echo one\nif true; then\n\techo "two"\nfi');
    expect(multi).toMatchObject({ exitCode: 0, output: 'one\ntwo\n' });
    // The typed command holds the pattern too: only the output may stop the watch.
    const watch = await s.run('echo "waiting for ready"; sleep 0.3; echo "ready now"; sleep 30', { until: /ready now/, timeoutMs: 10_000 });
    expect(watch).toMatchObject({ kind: 'interrupted', reason: 'until' });
    expect(watch.output).toContain('waiting for ready\nready now\n');
    expect(await s.run('echo after')).toMatchObject({ output: 'after\n' });
  });
});
