import type { Code, Html } from 'mdast';
import type { Annotations, BlockTool } from './model.ts';
import { report, type ParseContext } from './parse-context.ts';
import type { FlatNodes } from './to-flat-nodes.ts';

/** A txm `!test program` that feeds the blocks to a shell (as opposed to `node`, `python`, a compiler). */
const SHELL_PROGRAM = /(?:^|[\s;&|/])(?:bash|sh|zsh|dash|ash|ksh)(?:\s|$)/;

/** Runme's fence attributes: `{"name":"x","background":true}` (JSON) or `{ name=x background=true }`. */
function parseRunmeMeta(meta: string): Record<string, string | boolean> | null {
  const text = meta.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const out: Record<string, string | boolean> = {};
      for (const [k, v] of Object.entries(json)) out[k] = typeof v === 'boolean' ? v : String(v);
      return out;
    }
  } catch {
    // Not JSON: Runme also writes `{ name=x interactive=false }`.
  }
  const out: Record<string, string | boolean> = {};
  for (const m of text.slice(1, -1).matchAll(/([A-Za-z][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s,}]+))/g)) {
    const raw = m[2] ?? m[3] ?? m[4] ?? '';
    out[m[1]!] = raw === 'true' ? true : raw === 'false' ? false : raw;
  }
  return Object.keys(out).length > 0 ? out : null;
}

function runme(meta: Record<string, string | boolean>, line: number): BlockTool {
  const annotations: Annotations = {};
  if (typeof meta.name === 'string' && meta.name) annotations.name = meta.name;
  if (meta.excludeFromRunAll === true || meta.excludeFromRunAll === 'true') {
    annotations.skip = true;
    annotations.skipReason = 'excludeFromRunAll (Runme)';
  }
  if (typeof meta.cwd === 'string' && meta.cwd) annotations.cwd = meta.cwd;
  if (typeof meta.category === 'string' && meta.category) annotations.labels = meta.category.split(',').map((c) => c.trim()).filter(Boolean);
  const background = meta.background === true || meta.background === 'true';
  return { tool: 'runme', line, role: 'commands', annotations, terminal: background ? 2 : null, test: null, expect: null };
}

/** The comments of one HTML node: `<!-- … -->`, each trimmed, with txm's `#-` escape for `-` undone. */
function comments(html: string): string[] {
  return [...html.matchAll(/<!--([\s\S]*?)-->/g)].map((m) => m[1]!.trim());
}

/**
 * The annotations of tools authors move from (read so their chapters keep working):
 *
 * - Runme fence attributes: `name`, `excludeFromRunAll` (skip), `background` (terminal 2), `cwd`, `category`
 *   (labels); `interactive` and `id` need nothing (bookrun runs every step in a terminal and fails one that
 *   waits for the keyboard).
 * - mdrip: `<!-- @label @other -->` labels the next block; `@skip` skips it in automation.
 * - Innovation Engine: `<!-- expected_similarity=0.8 -->` (or `="regex"`) makes the next block the expected
 *   output of the command before it, matched with that similarity (or pattern).
 * - txm: `<!-- !test program bash -->`, then `!test in NAME` / `!test check NAME` (commands, when the program is
 *   a shell; content otherwise), `!test out NAME` / `!test err NAME` (the expected output of test NAME),
 *   `!test exit N` (the next test's exit status).
 *
 * Returns the tool annotations of each code node; unsupported bits are `info` diagnostics.
 */
export function parseToolAnnotations(ctx: ParseContext, flat: FlatNodes): Map<Code, BlockTool> {
  const out = new Map<Code, BlockTool>();
  let program: string | null = null;
  let pendingExit: number | null = null;
  let pending: { tool: BlockTool; line: number } | null = null;
  for (const { node } of flat.entries) {
    if (node.type === 'html') {
      const line = node.position?.start.line ?? 1;
      for (const text of comments((node as Html).value)) {
        const txm = /^!test\s+(\w+)\s*([\s\S]*)$/.exec(text.replace(/#-/g, '-'));
        if (txm) {
          const [, command, rest] = txm as unknown as [string, string, string];
          const name = rest.trim();
          if (command === 'program') {
            program = name;
            continue;
          }
          if (command === 'exit') {
            if (/^\d+$/.test(name)) pendingExit = Number(name);
            else report(ctx, line, 1, 'tool-annotation', 'info', `txm "!test exit ${name}": bookrun expects one exit status; write \`# bookrun: exit=N\` in the block`);
            continue;
          }
          if (command === 'only') {
            report(ctx, line, 1, 'tool-annotation', 'info', 'txm "!test only" is for focusing txm runs; bookrun runs every step (use bookrun run --from/--to)');
            continue;
          }
          if (command === 'in' || command === 'check' || command === 'out' || command === 'err') {
            const shellProgram = program !== null && SHELL_PROGRAM.test(program);
            const isInput = command === 'in' || command === 'check';
            if (!shellProgram && isInput) {
              report(ctx, line, 1, 'tool-annotation', 'info', `txm test "${name}" runs with ${program === null ? 'no !test program' : `\`${program}\``}, not a shell: bookrun leaves its blocks out of the plan`);
            }
            const annotations: Annotations = { name };
            if (isInput && pendingExit !== null && shellProgram) annotations.exitCode = pendingExit;
            if (isInput) pendingExit = null;
            pending = {
              line,
              tool: { tool: 'txm', line, role: !shellProgram ? 'content' : isInput ? 'commands' : 'output', annotations, terminal: null, test: name, expect: null },
            };
            continue;
          }
          continue;
        }
        const similarity = /^expected_similarity\s*=\s*(?:(\d+(?:\.\d+)?)|"(.*)")$/.exec(text);
        if (similarity) {
          const expect = similarity[1] !== undefined ? { similarity: Math.min(1, Number(similarity[1])) } : { pattern: similarity[2]! };
          pending = { line, tool: { tool: 'innovation-engine', line, role: 'output', annotations: {}, terminal: null, test: null, expect } };
          continue;
        }
        if (/^(?:@[\w-]+\s*)+$/.test(text)) {
          const labels = text.split(/\s+/).map((l) => l.slice(1));
          const annotations: Annotations = {};
          const kept = labels.filter((l) => l !== 'skip');
          if (kept.length > 0) annotations.labels = kept;
          if (labels.includes('skip')) {
            annotations.skip = true;
            annotations.skipReason = '@skip (mdrip)';
          }
          pending = { line, tool: { tool: 'mdrip', line, role: null, annotations, terminal: null, test: null, expect: null } };
        }
      }
      continue;
    }
    if (node.type === 'code') {
      const code = node as Code;
      const meta = code.meta ? parseRunmeMeta(code.meta) : null;
      if (pending) out.set(code, pending.tool);
      else if (meta) out.set(code, runme(meta, code.position?.start.line ?? 1));
      pending = null;
      continue;
    }
    // mdrip labels the block right after the comment; txm and Innovation Engine read "the next code block".
    if (pending?.tool.tool === 'mdrip') pending = null;
  }
  return out;
}
