/**
 * After an interrupt, a ctrl+c may land on the prompt and print one prompt too many. Before the next command the
 * session types `__bookrun_sync N` (defined by the rc file) and skips everything up to its marker and the prompt
 * after it: the next result is never that stray prompt's.
 */
export class ShellSync {
  private counter = 0;
  private waiter: { id: string; phase: 'marker' | 'prompt'; resolve: () => void } | null = null;

  /** Types the sync command (through `write`) and resolves once its marker and prompt came back, or after 5 s. */
  start(write: (data: string) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const id = `sync-${++this.counter}`;
      const timer = setTimeout(() => {
        if (this.waiter?.id === id) this.waiter = null;
        resolve();
      }, 5000);
      this.waiter = {
        id,
        phase: 'marker',
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      write(`__bookrun_sync ${this.counter}\n`);
    });
  }

  /** Takes a sentinel while a sync waits (true: it was the sync's, skip it); false when no sync waits. */
  take(value: string): boolean {
    const waiter = this.waiter;
    if (!waiter) return false;
    if (value === waiter.id) waiter.phase = 'prompt';
    else if (waiter.phase === 'prompt' && /^\d+$/.test(value)) {
      this.waiter = null;
      waiter.resolve();
    }
    return true;
  }
}
