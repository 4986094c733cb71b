import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlogEvidence } from '../core/derive-status.ts';
import { BLOG_RECORD_DIR, toBlogRecordName, type BlogRecord } from './blog-record.ts';

/**
 * The evidence behind a chapter's "Publish on <blog>" item: the record `bookrun export blog` left under
 * `.bookrun/blog/` (the newest export of the chapter), or none.
 */
export async function readBlogEvidence(root: string, chapterKey: string): Promise<BlogEvidence> {
  const file = path.join(root, BLOG_RECORD_DIR, toBlogRecordName(chapterKey));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'unavailable', reason: `cannot read ${path.relative(root, file)}: ${(error as Error).message}` };
  }
  try {
    const record = JSON.parse(text) as Partial<BlogRecord>;
    if (record.version !== 1 || typeof record.sha256 !== 'string' || record.chapter !== chapterKey) throw new Error('not a blog export record');
    return {
      kind: 'exported',
      sha256: record.sha256,
      writtenAt: String(record.writtenAt ?? ''),
      draft: record.draft === true,
      findings: Number(record.findings ?? 0),
      format: String(record.format ?? 'html'),
      variant: typeof record.variant === 'string' ? record.variant : null,
      out: String(record.out ?? ''),
    };
  } catch {
    return { kind: 'unavailable', reason: `${path.relative(root, file)} is not a blog export record (export the chapter again)` };
  }
}
