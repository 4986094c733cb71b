import v8 from 'node:v8';

let set = false;

/**
 * The V8 flags bookrun runs with, set before the first WebAssembly or cached code is compiled (once):
 * `--liftoff-only`. sh-syntax's WASM is instantiated afresh for every script; V8's tiering would compile the hot
 * functions of every new instance again with TurboFan, on threads a process then waits for (a chapter's parses
 * took ten times as long, and a finished command waited ~100 ms to exit), and Liftoff's code is fast enough for
 * scripts of a few kilobytes. V8's cached code records the flags it was made under and is refused under others:
 * the parser's code (load-parse-chapter.ts) is compiled under these flags too, so every process takes it.
 */
export function setV8Flags(): void {
  if (set) return;
  set = true;
  v8.setFlagsFromString('--liftoff-only');
}
