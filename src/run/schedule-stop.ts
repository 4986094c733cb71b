/** What {@link scheduleStop} acts through. */
export interface StopActions {
  /** ctrl+c: the keystroke first; `repeat` sends SIGINT straight to the foreground group (raw-mode programs too). */
  interrupt(repeat: boolean): void;
  /** A harder signal to the foreground process group (never the shell). */
  signal(signal: 'SIGTERM' | 'SIGKILL'): void;
  /** Whether the command is still the one running (its prompt has not come back). */
  running(): boolean;
  /** Not even SIGKILL brought the prompt back (a process stuck in the kernel): stop waiting for it. */
  giveUp(): void;
}

/** When each step of a stop comes, after the first ctrl+c. */
export const STOP_STEPS = { repeatEveryMs: 500, termAtMs: 2000, killAtMs: 4000, giveUpAtMs: 8000 } as const;

/**
 * Stops a running command the way a reader would, then harder: ctrl+c at once and every half second while it
 * runs, SIGTERM to the foreground process group after 2 s, SIGKILL after 4 s, and after 8 s gives up waiting
 * (the caller is never stuck; the sync before the next command skips a prompt that comes late). Returns the
 * timers, for the caller to clear once the prompt is back.
 */
export function scheduleStop(actions: StopActions): NodeJS.Timeout[] {
  actions.interrupt(false);
  const when = (ms: number, act: () => void) =>
    setTimeout(() => {
      if (actions.running()) act();
    }, ms);
  return [
    setInterval(() => {
      if (actions.running()) actions.interrupt(true);
    }, STOP_STEPS.repeatEveryMs),
    when(STOP_STEPS.termAtMs, () => actions.signal('SIGTERM')),
    when(STOP_STEPS.killAtMs, () => actions.signal('SIGKILL')),
    when(STOP_STEPS.giveUpAtMs, () => actions.giveUp()),
  ];
}
