import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { listVariants, parseBookConfig } from './book-config.ts';
import type { Chapter } from './model.ts';
import { parseChapter } from './parse-chapter.ts';
import { planChapter } from './plan-chapter.ts';

const config = parseBookConfig(
  { chapters: [], variants: { dimensions: { cloud: ['gke', 'eks', 'aks', 'existing'], flavor: ['static', 'serverless'] } } },
  'bookrun.yaml',
);
const source = readFileSync(path.join(import.meta.dirname, '../../docs/canary-deployments.md'), 'utf8');

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function wellFormed(chapter: Chapter, text: string): void {
  const lineCount = text.split(/\r?\n/).length;
  for (const step of chapter.steps) {
    expect(step.line).toBeGreaterThanOrEqual(1);
    expect(step.endLine).toBeGreaterThanOrEqual(step.line);
    expect(step.endLine).toBeLessThanOrEqual(lineCount);
    expect(step.command).toBe(text.split(/\r?\n/).slice(step.line - 1, step.endLine).join('\n').replace(/^\$ /, ''));
  }
  for (const d of chapter.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
  for (const variant of listVariants(config)) planChapter(chapter, variant, config);
}

describe('the parser never throws on Markdown', () => {
  it('survives every truncation of a real chapter', async () => {
    const lines = source.split('\n');
    for (let cut = 1; cut < lines.length; cut += 3) {
      const text = lines.slice(0, cut).join('\n');
      wellFormed(await parseChapter(text, { file: `cut-${cut}.md`, config, shell: shSyntaxParser }), text);
    }
  });

  it('survives shuffled, duplicated and mangled lines (seeded)', async () => {
    const lines = source.split('\n');
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = random(seed);
      const out: string[] = [];
      for (let i = 0; i < lines.length; i++) {
        const r = rnd();
        if (r < 0.05) continue;
        const line = lines[Math.floor(rnd() * lines.length)]!;
        if (r < 0.25) out.push(line);
        else if (r < 0.3) out.push(line.slice(0, Math.floor(rnd() * line.length)));
        else if (r < 0.33) out.push('```' + (rnd() < 0.5 ? 'bash' : ''));
        else if (r < 0.35) out.push(`"${line}'`);
        else out.push(lines[i]!);
      }
      const text = out.join(rnd() < 0.2 ? '\r\n' : '\n');
      try {
        wellFormed(await parseChapter(text, { file: `seed-${seed}.md`, config, shell: shSyntaxParser }), text);
      } catch (error) {
        throw new Error(`seed ${seed}: ${String(error)}`);
      }
    }
  });

  it('survives empty, binary-ish and pathological input', async () => {
    for (const text of ['', '\n\n', '```', '```bash', '```bash\n', '```bash\n"', '```bash\ncat <<EOF\n', '\u0000\uffff```bash\n\u0000', '# If EKS', 'I>', '- [ ]', `${'`'.repeat(3)}bash\n${'\\\n'.repeat(50)}`]) {
      wellFormed(await parseChapter(text, { file: 'edge.md', config, shell: shSyntaxParser }), text);
    }
  });
});
