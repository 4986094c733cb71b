import { digestStep } from './digest-step.ts';
import type { Plan, PlannedStep } from './model.ts';

/** What the terminal server does with a page's `run` request: a command of its own plan, or a refusal. */
export type TerminalRun =
  | {
      kind: 'command';
      step: PlannedStep;
      /** The step's command with its placeholders filled (shell-quoted). */
      command: string;
      terminal: number;
      /** Watch steps: stop as ctrl+c would once the output matches (JavaScript regular expression source). */
      until: string | null;
      timeoutMs: number | null;
      /** The exit status that counts as success (0 unless annotated). */
      expectedExitCode: number;
    }
  | { kind: 'refused'; message: string };

const SAFE = /^[A-Za-z0-9_.,:/@%+=-]+$/;

/** Quotes a reader's value for bash: bare when harmless, else single-quoted. Never lets it become code. */
export function quoteShellValue(value: string): string {
  if (SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Looks a page's step id up in the server's own plan and fills its placeholders. Refuses, with a message
 * the page shows beside the block, an unknown step, a step excluded for the plan's variant, a missing
 * placeholder value, a command still holding `[...]`, and a bad `until` pattern. Pure.
 */
export function planTerminalRun(plan: Plan, request: { step: string; digest?: string; values?: Record<string, string> }): TerminalRun {
  const file = plan.chapter.file;
  const step = plan.steps.find((s) => s.id === request.step);
  if (!step) return { kind: 'refused', message: `${file}: no step ${request.step}: reload the page (the chapter may have changed)` };
  if (request.digest !== undefined && request.digest !== digestStep(step.command)) {
    return { kind: 'refused', message: `${file}:${step.line}: step ${step.id} is not the command this page shows (the chapter changed): reload the page` };
  }
  if (!step.included) {
    const why = step.condition ? ` (only for ${step.condition})` : '';
    return { kind: 'refused', message: `${file}:${step.line}: step ${step.id} does not apply to variant ${plan.variant.name}${why}` };
  }
  const values = request.values ?? {};
  let command = step.command;
  for (const name of step.placeholders) {
    const value = values[name];
    if (value === undefined || value.trim() === '') {
      return { kind: 'refused', message: `${file}:${step.line}: step ${step.id} needs a value for ${name} (${name}=[...]): fill it in, then Run` };
    }
    command = command.replace(new RegExp(`\\b${escapeRegExp(name)}=\\[\\.\\.\\.\\]`, 'g'), () => `${name}=${quoteShellValue(value)}`);
  }
  if (command.includes('[...]')) {
    return { kind: 'refused', message: `${file}:${step.line}: step ${step.id} still contains [...] after filling its placeholders: the chapter must mark it as NAME=[...]` };
  }
  const until = step.annotations.until ?? null;
  if (until !== null) {
    try {
      new RegExp(until);
    } catch {
      return { kind: 'refused', message: `${file}:${step.line}: step ${step.id} has an invalid until pattern /${until}/` };
    }
  }
  return {
    kind: 'command',
    step,
    command,
    terminal: step.terminal,
    until,
    timeoutMs: step.annotations.timeoutMs ?? null,
    expectedExitCode: step.annotations.exitCode ?? 0,
  };
}
