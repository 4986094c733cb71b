import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { quoteShell } from '../core/quote-shell.ts';
import { toStateWithoutSecrets } from '../core/to-state-without-secrets.ts';
import type { OutputFolder } from '../book/open-output-folder.ts';
import { readSessionState, STATE_SEPARATOR, STATE_SETUP, toStateSaveCommand } from './session-state.ts';
import { spawnShellSession, type ShellSession } from './shell-session.ts';

/** One terminal of a run: the shell, the steps queued on it, and the last line it ran. */
export interface PoolTerminal {
  n: number;
  session: ShellSession;
  /** Steps of this terminal run one after another. */
  queue: Promise<unknown>;
  /** Last line of the last step this terminal ran (for the saved state). */
  lastLine: number | null;
}

/** Options of {@link TerminalPool}. */
export interface TerminalPoolOptions {
  cwd: string;
  /** The environment every terminal starts with. */
  env: Record<string, string | undefined>;
  /** Session state (`--from` resumes); null: neither saved nor restored. */
  state: OutputFolder | null;
  /** `--from`: restore each terminal's state saved before this line. */
  from: number | null;
  /** Secret values: a saved declaration holding one is left out. */
  secrets: readonly string[];
  note: (message: string) => void;
}

/**
 * The terminals of a run, one shell session each, opened when a step first needs them: each fresh (or with the
 * state a `--from` restores), each saving what the chapter set there when it ends, all ended together.
 */
export class TerminalPool {
  private readonly terminals = new Map<number, PoolTerminal>();

  constructor(private readonly options: TerminalPoolOptions) {}

  /** Every terminal opened so far. */
  all(): PoolTerminal[] {
    return [...this.terminals.values()];
  }

  /** Terminal `n`, opened (and restored) on first use. */
  async open(n: number): Promise<PoolTerminal> {
    const existing = this.terminals.get(n);
    if (existing) return existing;
    const { state, from } = this.options;
    const session = spawnShellSession({ cwd: this.options.cwd, env: this.options.env });
    const terminal: PoolTerminal = { n, session, queue: Promise.resolve(), lastLine: null };
    this.terminals.set(n, terminal);
    await session.ready;
    if (!state) return terminal;
    await session.run(STATE_SETUP);
    if (from === null) return terminal;
    const saved = readSessionState(path.join(state.dir, `t${n}.sh`));
    if (saved && saved.line < from) {
      const script = path.join(tmpdir(), `bookrun-restore-${process.pid}-${n}-${Date.now()}.sh`);
      writeFileSync(script, saved.script, { mode: 0o600 });
      await session.run(`builtin source ${quoteShell(script)} >/dev/null 2>&1`);
      rmSync(script, { force: true });
      this.options.note(`terminal ${n}: restored the variables, functions and folder saved after line ${saved.line}`);
    } else if (saved) {
      this.options.note(`terminal ${n}: the saved state is from line ${saved.line}, not before --from ${from}: starting with a fresh shell`);
    } else {
      this.options.note(`terminal ${n}: no saved state to resume from: starting with a fresh shell`);
    }
    return terminal;
  }

  /**
   * Saves each terminal's state (variables, functions, folder) once, as it ends: the state after the last step
   * it ran, which is what a `--from` resume needs (saving after every step too would cost a round trip and a file
   * write per step). A declaration holding a secret is dropped before the dump is kept.
   */
  async saveAll(): Promise<boolean> {
    const { state } = this.options;
    if (!state) return false;
    const saved = await Promise.allSettled(
      this.all().map(async (terminal) => {
        if (terminal.lastLine === null) return false;
        // bash fills a private temporary file beside the state file; only a complete dump replaces the old one.
        const slot = await state.reserve(`t${terminal.n}.sh`);
        const result = await terminal.session.run(toStateSaveCommand(slot.temp, terminal.lastLine), { timeoutMs: 5000 });
        if (result.kind !== 'exited') {
          await slot.discard();
          return false;
        }
        if (this.options.secrets.length > 0) {
          const dump = readFileSync(slot.temp, 'utf8');
          const kept = toStateWithoutSecrets(dump, this.options.secrets, STATE_SEPARATOR);
          if (kept !== dump) writeFileSync(slot.temp, kept, { mode: 0o600 });
        }
        await slot.commit();
        return true;
      }),
    );
    return saved.some((r) => r.status === 'fulfilled' && r.value);
  }

  /** ctrl+c in every terminal but the first (the first finished: what still runs elsewhere is stopped). */
  interruptOthers(): void {
    for (const t of this.all()) if (t.n !== 1) t.session.interrupt();
  }

  interruptAll(): void {
    for (const t of this.all()) t.session.interrupt();
  }

  /** Ends every shell and every process it started. */
  async disposeAll(): Promise<void> {
    await Promise.allSettled(this.all().map((t) => t.session.dispose()));
  }
}
