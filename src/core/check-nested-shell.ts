import type { Plan, PlannedStep } from './model.ts';

/** What the runner does with a step of a nested shell instead of running it. */
export interface NestedShellVerdict {
  status: 'failed' | 'skipped';
  reason: string;
}

/**
 * Whether a step must not run because of a nested shell (see `Step.nestedShell`): the step that opens one
 * fails at once, with the reason (a headless run cannot type into it, and would wait for it until the
 * timeout); a step meant inside one fails too, or is skipped when its opener is skipped or not in the plan.
 * Null for every other step. Pure: the runner consults it before it types a command.
 */
export function checkNestedShell(step: PlannedStep, plan: Pick<Plan, 'steps'>): NestedShellVerdict | null {
  const nested = step.nestedShell;
  if (!nested) return null;
  if (nested.role === 'opens') {
    const inside = plan.steps.filter((s) => s.nestedShell?.role === 'inside' && s.nestedShell.opener === step.id).map((s) => s.line);
    const meant = inside.length > 0 ? ` (line${inside.length === 1 ? '' : 's'} ${inside.join(', ')})` : '';
    return {
      status: 'failed',
      reason: `opens a nested shell (${nested.via}): a headless run cannot type the commands meant inside it${meant}, so it stops here instead of waiting for it; run them through the opener, or mark it # bookrun: skip="…"`,
    };
  }
  const opener = plan.steps.find((s) => s.id === nested.opener);
  const where = opener ? ` opened at line ${opener.line}` : '';
  if (!opener || !opener.included || opener.annotations.skip) return { status: 'skipped', reason: `meant inside the nested shell${where} (${nested.via}), which is not run` };
  return { status: 'failed', reason: `meant inside the nested shell${where} (${nested.via}), which a headless run cannot type into` };
}
