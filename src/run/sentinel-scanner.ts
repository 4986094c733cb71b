/** The OSC number of the sentinel: unknown to terminals, so xterm.js shows nothing. */
export const SENTINEL_OSC = 6973;
const SENTINEL_MAX = 64;

/** What the shell's output stream holds, in order: output, or a sentinel the rc file's prompt command printed. */
export type ScanItem =
  | { kind: 'output'; text: string }
  /** `value`: the last command's status (`0`, `130`), `more` (bash's PS2: it wants the next line) or `sync-N`. */
  | { kind: 'sentinel'; value: string };

/**
 * The marker protocol of a shell session, read side: finds the sentinels (`ESC ] 6973 ; bookrun ; NONCE ;
 * VALUE BEL`) in the pty's stream, however the stream is cut into chunks. Only the session's own nonce counts,
 * so a command's output cannot fake the end of a command. Text that may be the start of a sentinel is held back
 * until the next chunk says; everything else is output at once (a watch's last line is never delayed).
 */
export class SentinelScanner {
  private readonly head: string;
  private readonly pattern: RegExp;
  /** Raw text seen since the last sentinel, kept only to find a sentinel split across chunks. */
  private scan = '';

  constructor(nonce: string) {
    this.head = `\x1b]${SENTINEL_OSC};bookrun;${nonce};`;
    this.pattern = new RegExp(`\\x1b\\]${SENTINEL_OSC};bookrun;${nonce};(\\d+|more|sync-\\d+)\\x07`);
  }

  /** The items of one more chunk of the stream. */
  push(data: string): ScanItem[] {
    // The common case while output streams: nothing held back and no escape in the chunk (no copy, no search).
    if (this.scan === '' && data.indexOf('\x1b') === -1) return data ? [{ kind: 'output', text: data }] : [];
    const items: ScanItem[] = [];
    this.scan += data;
    for (;;) {
      const match = this.pattern.exec(this.scan);
      if (!match) break;
      const before = this.scan.slice(0, match.index);
      this.scan = this.scan.slice(match.index + match[0].length);
      if (before) items.push({ kind: 'output', text: before });
      items.push({ kind: 'sentinel', value: match[1]! });
    }
    // Keep only what could be the start of a sentinel; the rest is output.
    const keepFrom = this.scan.lastIndexOf('\x1b');
    const rest = keepFrom >= 0 ? this.scan.slice(keepFrom) : '';
    const partial = rest !== '' && (this.head.startsWith(rest) || (rest.startsWith(this.head) && rest.length < SENTINEL_MAX && !rest.includes('\x07')));
    const safe = partial ? keepFrom : this.scan.length;
    const out = this.scan.slice(0, safe);
    this.scan = this.scan.slice(safe);
    if (out) items.push({ kind: 'output', text: out });
    return items;
  }
}
