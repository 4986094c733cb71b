/** One top-level statement of a shell script, by 1-based lines (heredoc bodies included in `endLine`). */
export interface ShellStatement {
  line: number;
  column: number;
  endLine: number;
}

/** What a real shell parser says of a script: its statements, or the first syntax error. */
export type ShellParseResult =
  | { ok: true; statements: ShellStatement[] }
  | { ok: false; line: number; column: number; message: string };

/**
 * A shell parser, injected so `src/core` stays free of I/O (the adapter in `src/book` wraps
 * `sh-syntax`, mvdan/sh compiled to WASM). Line numbers in the result are those of `text`.
 */
export interface ShellParser {
  parse(text: string): Promise<ShellParseResult>;
}
