import path from 'node:path';
import { resolveVariant } from '../core/book-config.ts';
import { InputError } from '../core/input-error.ts';
import { planChapter } from '../core/plan-chapter.ts';
import type { Book } from '../book/read-book.ts';
import { readBookChapter } from '../book/read-book-chapter.ts';
import type { StepSource } from './step-source.ts';

/**
 * The steps of the book on this machine: each `run` reads and plans the chapter anew (readBookChapter +
 * planChapter, the way every command opens a chapter), so an edited chapter runs as it now reads. A null book
 * refuses every run.
 */
export function bookStepSource(book: Book | null, env: Record<string, string | undefined> = process.env): StepSource {
  return {
    async plan(chapter, variantName) {
      if (!book) return { kind: 'refused', message: 'this terminal server has no book: start it from the book folder (bookrun serve)' };
      const key = chapter.replace(/^\.?\//, '');
      if (!book.config.chapters.includes(key)) {
        return { kind: 'refused', message: `unknown chapter ${JSON.stringify(chapter)}: the book's chapters are ${book.config.chapters.join(', ')}` };
      }
      const variant = resolveVariant(book.config, variantName);
      if (!variant.ok) return { kind: 'refused', message: variant.message };
      try {
        const { chapter: parsed } = await readBookChapter(book, path.resolve(book.root, key), key);
        return { kind: 'plan', plan: planChapter(parsed, variant.variant, book.config) };
      } catch (error) {
        if (error instanceof InputError) return { kind: 'refused', message: error.message };
        return { kind: 'refused', message: `${key}: cannot plan the chapter: ${(error as Error).message}` };
      }
    },
    // The book's CI secrets, when this server's environment holds them.
    secrets: () => Object.keys(book?.config.ci.secrets ?? {}).flatMap((name) => env[name] || []),
  };
}
