import { digestStep } from './digest-step.ts';
import { fillPlaceholders } from './fill-placeholders.ts';
import type { Plan, PlannedStep } from './model.ts';
import { toUntilPattern } from './to-until-pattern.ts';

export { quoteShellValue } from './quote-shell.ts';

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

/**
 * Looks a page's step id up in the server's own plan and fills its placeholders. Refuses, with a message
 * the page shows beside the block, an unknown step, a step excluded for the plan's variant, a missing
 * placeholder value, a value that would act as keys in the terminal (see `checkValue`), a command still
 * holding `[...]`, and a bad `until` pattern. Pure.
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
  for (const name of step.placeholders) {
    const value = values[name];
    if (value === undefined || value.trim() === '') {
      return { kind: 'refused', message: `${file}:${step.line}: step ${step.id} needs a value for ${name} (${name}=[...]): fill it in, then Run` };
    }
  }
  const filled = fillPlaceholders(step.command, step.placeholders, (name) => values[name]);
  if (filled.kind === 'refused') return { kind: 'refused', message: `${file}:${step.line}: step ${step.id}: ${filled.message}` };
  const command = filled.command;
  if (command.includes('[...]')) {
    return { kind: 'refused', message: `${file}:${step.line}: step ${step.id} still contains [...] after filling its placeholders: the chapter must mark it as NAME=[...]` };
  }
  const until = step.annotations.until ?? null;
  if (until !== null && toUntilPattern(until) === null) {
    return { kind: 'refused', message: `${file}:${step.line}: step ${step.id} has an invalid until pattern /${until}/` };
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
