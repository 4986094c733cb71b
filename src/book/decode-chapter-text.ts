import { ChapterNotTextError } from './chapter-errors.ts';

/** Fails on any malformed sequence; keeps a byte order mark, so the text is exactly the file's. */
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i += 1) if (bytes[i] === 0x0a) line += 1;
  return line;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let code = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * A chapter's bytes as text, or {@link ChapterNotTextError} with the line of the first NUL byte or
 * invalid UTF-8 sequence: a binary or a file in another encoding would otherwise plan, run or publish as
 * garbage. A byte order mark is kept (the text's sha256 is the file's).
 */
export function decodeChapterText(bytes: Uint8Array, shown: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new ChapterNotTextError(shown, lineAt(bytes, nul), 'it holds NUL bytes, as binary files do');
  try {
    return strict.decode(bytes);
  } catch {
    // Only now walk the bytes, to say where.
    const bad = Math.max(firstInvalidUtf8(bytes), 0);
    throw new ChapterNotTextError(shown, lineAt(bytes, bad), `invalid UTF-8 at byte ${bad + 1}`);
  }
}
