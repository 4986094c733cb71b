import type { Chapter, PlannedStep } from './model.ts';
import type { ChapterEdit } from './to-recorded-chapter.ts';
import { toRecordedOutput } from './to-recorded-output.ts';

/** A step that ran, as record mode sees it: its whole last output and whether its expected output matched. */
export interface StepRecording {
  step: Pick<PlannedStep, 'id' | 'line' | 'block' | 'expect'>;
  output: string;
  status: 'passed' | 'failed' | 'skipped' | 'interrupted';
  /** The expected-output check; null when the step shows none. */
  matched: boolean | null;
  ended: string | null;
}

/** What record mode changes in a chapter, and what it left alone and why. */
export interface RecordPlan {
  edits: ChapterEdit[];
  /** Lines of the steps whose output fence is rewritten or added. */
  recorded: number[];
  /** `FILE:LINE`-less notes, one per step left alone: `line 42: …`. */
  notes: string[];
}

const FENCE = /^(\s*)(`{3,}|~{3,})/;

/** The fence lines of a block, when it has a closing fence that record mode can keep. */
function fenceOf(chapter: Pick<Chapter, 'lines'>, line: number): { indent: string; marker: string } | null {
  const m = FENCE.exec(chapter.lines[line - 1] ?? '');
  return m ? { indent: m[1]!, marker: m[2]! } : null;
}

/** Whether a body line would close the fence it sits in. */
function closes(line: string, marker: string): boolean {
  const m = FENCE.exec(line);
  return m !== null && m[2]![0] === marker[0] && m[2]!.length >= marker.length && line.trim() === m[2];
}

/**
 * Record mode's plan (`bookrun run --update-expected`): for each step whose expected output did not match, the
 * body of its output fence becomes what the command printed, keeping every line the matcher aligned as the
 * author wrote it ({@link toRecordedOutput}); with `addMissing`, the last command of a block that passed,
 * printed something and shows no output gains an output fence after its block. Only fence bodies change (and
 * added fences): an output pasted inside a shell block, a fence that is not closed, an Innovation Engine
 * pattern or similarity, or an output that would close its own fence is left alone, with a note. Pure.
 */
export function planRecord(chapter: Pick<Chapter, 'lines' | 'blocks' | 'steps'>, recordings: readonly StepRecording[], options: { addMissing?: boolean } = {}): RecordPlan {
  const edits: ChapterEdit[] = [];
  const recorded: number[] = [];
  const notes: string[] = [];
  for (const { step, output, status, matched, ended } of recordings) {
    const expect = step.expect;
    if (expect && matched === false) {
      const block = chapter.blocks.find((b) => !b.shell && b.outputOf === step.id && b.line === expect.line);
      const fence = block ? fenceOf(chapter, block.line) : null;
      if (expect.source !== 'fence' || !block || !fence) {
        notes.push(`line ${step.line}: its expected output (line ${expect.line}) is not a fence of its own (pasted inside a shell block?): not recorded; move it into an output fence after the block`);
        continue;
      }
      if (block.open) {
        notes.push(`line ${step.line}: the output fence at line ${expect.line} is never closed: not recorded`);
        continue;
      }
      if (expect.pattern !== undefined || expect.similarity !== undefined) {
        notes.push(`line ${step.line}: the output at line ${expect.line} is checked by a pattern or a similarity: not recorded`);
        continue;
      }
      const body = toRecordedOutput(expect, output).split('\n');
      if (body.some((l) => closes(l, fence.marker))) {
        notes.push(`line ${step.line}: the output holds a line that would close its fence (${fence.marker}): not recorded; lengthen the fence`);
        continue;
      }
      edits.push({ from: block.contentLine, to: block.endLine, lines: body.map((l) => (l === '' ? l : fence.indent + l)) });
      recorded.push(step.line);
      continue;
    }
    if (expect || !options.addMissing || status !== 'passed' || ended === 'interrupted' || output.trim() === '') continue;
    const block = chapter.blocks[step.block];
    const last = chapter.steps.filter((s) => s.block === step.block).reduce((a, s) => Math.max(a, s.line), 0);
    if (!block || last !== step.line) continue;
    const fence = fenceOf(chapter, block.line);
    if (!fence || block.open) continue;
    const next = chapter.lines.slice(block.endLine).find((l) => l.trim() !== '');
    if (next !== undefined && FENCE.test(next)) {
      notes.push(`line ${step.line}: a fence already follows its block: no output fence added`);
      continue;
    }
    const printed = output.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n').map((l) => l.trimEnd());
    while (printed.length > 0 && printed[0] === '') printed.shift();
    const marker = printed.some((l) => closes(l, '```')) ? '~~~' : '```';
    if (printed.some((l) => closes(l, marker))) continue;
    edits.push({ from: block.endLine + 1, to: block.endLine + 1, lines: ['', `${fence.indent}${marker}`, ...printed.map((l) => (l === '' ? l : fence.indent + l)), `${fence.indent}${marker}`] });
    recorded.push(step.line);
  }
  return { edits, recorded, notes };
}
