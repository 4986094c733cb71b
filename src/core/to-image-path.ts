/**
 * Where an image a chapter references lives, relative to the book root (POSIX, normalised): a relative
 * reference is relative to the chapter's folder (`images/x.png` beside `manuscript/ch.md` →
 * `manuscript/images/x.png`), one starting with `/` to the book root. Null when it leaves the book root.
 * THE rule for finding a chapter's images: the parser's `image-missing` check, the manuscript and the blog use it.
 *
 * `chapterKey` is the chapter's path relative to the book root (`docs/progressive-delivery.md`).
 */
export function toImagePath(chapterKey: string, ref: string): string | null {
  const at = chapterKey.lastIndexOf('/');
  const dir = at < 0 ? '' : chapterKey.slice(0, at);
  let target = ref.replace(/[?#].*$/, '');
  try {
    target = decodeURI(target);
  } catch {
    // a stray `%`: take the reference as written
  }
  const parts: string[] = [];
  for (const part of `${target.startsWith('/') ? '' : dir}/${target}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}
