import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBook } from '../book/read-book.ts';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { parseChapter } from '../core/parse-chapter.ts';
import { checkChapter } from '../lint/check-chapter.ts';
import { toGist } from './to-gist.ts';
import { toManuscript } from './to-manuscript.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'book');
const book = await readBook({ cwd: root });
const text = readFileSync(path.join(root, 'docs/canary.md'), 'utf8');
const lines = text.split('\n');

describe('publishing never throws on a broken chapter', () => {
  it('handles the chapter cut at every line: gist, both manuscripts and the pure lint rules; clean cuts give gists bash accepts', async () => {
    let checked = 0;
    for (let cut = 0; cut <= lines.length; cut++) {
      const partial = lines.slice(0, cut).join('\n');
      const chapter = await parseChapter(partial, { file: 'docs/canary.md', config: book.config, shell: shSyntaxParser });
      const gist = toGist(chapter, book.config);
      for (const format of ['lfm', 'markua'] as const) toManuscript([{ chapter, key: 'docs/canary.md', matter: 'main' }], book.config, { format });
      const findings = checkChapter(chapter, book.config);
      const broken = chapter.blocks.some((b) => b.open) || findings.some((d) => d.rule === 'shell-syntax');
      if (!broken && cut % 4 === 0) {
        checked++;
        const bash = spawnSync('bash', ['-n'], { input: gist, encoding: 'utf8' });
        expect(bash.stderr, `cut at line ${cut}`).toBe('');
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('handles shuffled lines', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const shuffled = [...lines].sort(() => random() - 0.5).join('\n');
      const chapter = await parseChapter(shuffled, { file: 'docs/canary.md', config: book.config, shell: shSyntaxParser });
      expect(typeof toGist(chapter, book.config)).toBe('string');
      expect(toManuscript([{ chapter, key: 'docs/canary.md', matter: 'main' }], book.config).files.length).toBeGreaterThan(1);
      expect(Array.isArray(checkChapter(chapter, book.config))).toBe(true);
    }
  });
});
