import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { listVariants, parseBookConfig } from './book-config.ts';
import { checkNestedShell } from './check-nested-shell.ts';
import type { Chapter } from './model.ts';
import { parseChapter } from './parse-chapter.ts';
import { planChapter } from './plan-chapter.ts';
import { toHiddenLines } from './to-hidden-lines.ts';
import { toRunCommand } from './to-run-command.ts';

const config = parseBookConfig(
  { chapters: [], variants: { dimensions: { cloud: ['gke', 'eks', 'aks', 'existing'], flavor: ['static', 'serverless'] } } },
  'bookrun.yaml',
);
const source = readFileSync(path.join(import.meta.dirname, '../../docs/canary-deployments.md'), 'utf8');
/** The corpus chapters exercise the newer phases: transcripts, editors, outputs in bash fences, tools, nested shells. */
const corpusDir = path.join(import.meta.dirname, 'fixtures', 'corpus');
const corpus = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => readFileSync(path.join(corpusDir, f), 'utf8'))
  .join('\n\n');

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

/** What every parse must hold, whatever the input: lines in range, commands taken from their lines, references that resolve. */
function wellFormed(chapter: Chapter, text: string): void {
  const lines = text.split(/\r?\n/);
  const ids = new Set(chapter.steps.map((s) => s.id));
  for (const step of chapter.steps) {
    expect(step.line).toBeGreaterThanOrEqual(1);
    expect(step.endLine).toBeGreaterThanOrEqual(step.line);
    expect(step.endLine).toBeLessThanOrEqual(lines.length);
    // Each command line is its source line, or the end of it (a transcript's prompt or continuation `> ` taken off).
    const commandLines = step.command.split('\n');
    expect(commandLines).toHaveLength(step.endLine - step.line + 1);
    commandLines.forEach((line, i) => expect(lines[step.line - 1 + i]!.endsWith(line), `line ${step.line + i}`).toBe(true));
    if (step.expect) expect(step.expect.line).toBeLessThanOrEqual(lines.length);
    if (step.edit) expect(chapter.blocks.some((b) => b.line === step.edit!.line && b.fileOf === step.id)).toBe(true);
    if (step.nestedShell) expect(ids.has(step.nestedShell.opener)).toBe(true);
    expect(toRunCommand(step).length).toBeGreaterThan(0);
  }
  for (const block of chapter.blocks) {
    if (block.outputOf) expect(ids.has(block.outputOf)).toBe(true);
    if (block.fileOf) expect(ids.has(block.fileOf)).toBe(true);
  }
  for (const d of chapter.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
  for (const link of chapter.links) expect(link.line).toBeLessThanOrEqual(lines.length);
  for (const line of toHiddenLines(chapter).keys()) expect(line).toBeLessThanOrEqual(lines.length);
  for (const variant of listVariants(config)) {
    const plan = planChapter(chapter, variant, config);
    for (const step of plan.steps) checkNestedShell(step, plan);
  }
}

function mangle(text: string, seed: number): string {
  const lines = text.split('\n');
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
    else if (r < 0.37) out.push(`$ ${line}`);
    else if (r < 0.38) out.push(['<!-- !test in x -->', '<!-- expected_similarity=0.5 -->', '<!-- @skip -->', '```sh {"name":"x","background":true}', 'vim x.yaml', 'kubectl exec -it p -- sh', 'exit', '/ # ls'][Math.floor(rnd() * 8)]!);
    else out.push(lines[i]!);
  }
  return out.join(rnd() < 0.2 ? '\r\n' : '\n');
}

describe('the parser never throws on Markdown', () => {
  it('survives every truncation of a real chapter', async () => {
    const lines = source.split('\n');
    for (let cut = 1; cut < lines.length; cut += 3) {
      const text = lines.slice(0, cut).join('\n');
      wellFormed(await parseChapter(text, { file: `cut-${cut}.md`, config, shell: shSyntaxParser }), text);
    }
  });

  it('survives every truncation of the corpus (transcripts, editors, bash outputs, tools, nested shells)', async () => {
    const lines = corpus.split('\n');
    for (let cut = 1; cut < lines.length; cut += 6) {
      const text = lines.slice(0, cut).join('\n');
      try {
        wellFormed(await parseChapter(text, { file: `corpus-cut-${cut}.md`, config, shell: shSyntaxParser }), text);
      } catch (error) {
        throw new Error(`corpus cut ${cut}: ${String(error)}`);
      }
    }
  });

  it('survives shuffled, duplicated and mangled lines (seeded), of the real chapter and of the corpus', async () => {
    for (const [name, text] of [['chapter', source], ['corpus', corpus]] as const) {
      for (let seed = 1; seed <= 30; seed++) {
        const mangled = mangle(text, seed);
        try {
          wellFormed(await parseChapter(mangled, { file: `${name}-seed-${seed}.md`, config, shell: shSyntaxParser }), mangled);
        } catch (error) {
          throw new Error(`${name} seed ${seed}: ${String(error)}`);
        }
      }
    }
  });

  it('survives empty, binary-ish and pathological input', async () => {
    const cases = [
      '', '\n\n', '```', '```bash', '```bash\n', '```bash\n"', '```bash\ncat <<EOF\n', '\u0000\uffff```bash\n\u0000', '# If EKS', 'I>', '- [ ]',
      `${'`'.repeat(3)}bash\n${'\\\n'.repeat(50)}`, '```\n$\n$ \n$ #\n```', '```\n$ vim\n```\n```\n```', '```bash\nvim a.yaml\n```\n```bash\n```',
      '<!-- !test program bash -->\n<!-- !test out x -->\n```\n1\n```', '<!-- expected_similarity="(" -->\n```\nx\n```', '```sh {"name":\n```', '```sh {}\nls\n```',
      '```\n$ kubectl exec -it p -- sh\n/ # \n/ # exit\n```', '```bash\na -> b -> c\n(x y z)\n```', '    $ ls\n    out', '[x](', '![](', '[a][b]\n\n[b]: TODO',
    ];
    for (const text of cases) wellFormed(await parseChapter(text, { file: 'edge.md', config, shell: shSyntaxParser }), text);
  });
});
