import { fillPlaceholders } from './fill-placeholders.ts';
import type { Plan, PlannedStep } from './model.ts';

/** A placeholder (or a `[...]`) that nothing will fill: the run must not start. */
export interface PlaceholderProblem {
  line: number;
  step: string;
  name: string | null;
  message: string;
}

/** Where a placeholder's value can come from, known before anything runs. */
export interface PlaceholderSources {
  /** Values from `--set`, `--values FILE` and the environment, already merged. */
  values: Record<string, string>;
  /** Steps that will actually run (included for the variant, inside `--from/--to`, not skipped). */
  runs: (step: PlannedStep) => boolean;
  /** Values known from an earlier run's saved state (a `--from` resume). */
  restored?: Record<string, string>;
}

/**
 * Checks a whole plan before anything runs: every `NAME=[...]` of a step that will run needs a value from
 * `--set`, `--values`, the environment, or a `capture=NAME:/re/` annotation on an earlier step that runs;
 * a `[...]` outside `NAME=[...]` can never be filled. Pure; returns every problem, in line order.
 */
export function checkPlaceholders(plan: Plan, sources: PlaceholderSources): PlaceholderProblem[] {
  const problems: PlaceholderProblem[] = [];
  const captured = new Map<string, number>();
  for (const step of plan.steps) {
    if (!sources.runs(step)) continue;
    for (const name of step.placeholders) {
      if (name in sources.values || captured.has(name) || (sources.restored && name in sources.restored)) continue;
      const first = !problems.some((p) => p.name === name);
      problems.push({
        line: step.line,
        step: step.id,
        name,
        message: first
          ? `${name}=[...] has no value: pass --set ${name}=VALUE (or put ${name} in --values FILE, export ${name}, or capture it from an earlier step with # bookrun: capture=${name}:/regex/)`
          : `${name}=[...] has no value (as above)`,
      });
    }
    // What is left once every NAME=[...] is filled: a [...] there has no name, so nothing can fill it.
    const rest = fillPlaceholders(step.command, step.placeholders, () => ({ display: '' }));
    if (rest.kind === 'filled' && rest.command.includes('[...]')) {
      problems.push({
        line: step.line,
        step: step.id,
        name: null,
        message: 'the command holds a [...] that is not a NAME=[...] assignment, so no value can fill it: rewrite it as NAME=[...] and use $NAME, or mark the step # bookrun: skip',
      });
    }
    for (const name of Object.keys(step.annotations.capture ?? {})) if (!captured.has(name)) captured.set(name, step.line);
  }
  return problems;
}
