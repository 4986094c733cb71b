/**
 * A short fingerprint of a step's source text (FNV-1a, 64 bits as 16 hex digits). The page sends it with
 * a step id so the terminal server can tell that the command it would run is the one the reader sees:
 * a page built from an older version of the chapter (or numbered from other lines) is refused, never run.
 * Not a security measure: the server runs only its own plan's commands either way.
 */
export function digestStep(command: string): string {
  // Two 32-bit FNV-1a lanes with different offsets, so the result has 64 bits without BigInt.
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < command.length; i++) {
    const c = command.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (i & 0xff), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
