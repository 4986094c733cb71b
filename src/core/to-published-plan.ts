import { digestStep } from './digest-step.ts';
import type { Plan, PlannedStep } from './model.ts';
import { PUBLISHED_PLAN_VERSION, type PublishedAnnotations, type PublishedPlan, type PublishedStep } from './published-plan.ts';

const ANNOTATIONS = ['until', 'capture', 'timeoutMs', 'exitCode', 'cwd', 'input', 'name', 'skip', 'teardown'] as const;

function toPublishedStep(step: PlannedStep, plans: readonly Plan[]): PublishedStep {
  const included = plans.filter((p) => p.steps.some((s) => s.id === step.id && s.included)).map((p) => p.variant.name);
  const annotations: PublishedAnnotations = {};
  for (const key of ANNOTATIONS) if (step.annotations[key] !== undefined) (annotations as Record<string, unknown>)[key] = step.annotations[key];
  return {
    id: step.id,
    line: step.line,
    endLine: step.endLine,
    command: step.command,
    digest: digestStep(step.command),
    block: step.block,
    section: step.section,
    terminal: step.terminal,
    watch: step.watch,
    watchReason: step.watchReason,
    retryWhile: step.retryWhile,
    eventually: step.eventually,
    placeholders: [...step.placeholders],
    uses: [...step.uses],
    expect: step.expect ? { ...step.expect } : null,
    annotations,
    condition: step.condition,
    teardown: step.teardown,
    variants: included.length === plans.length ? null : included,
    ...(step.edit ? { edit: { ...step.edit } } : {}),
    ...(step.nestedShell ? { nestedShell: { ...step.nestedShell } } : {}),
  };
}

/**
 * One chapter's plans for every variant (as the site build makes them) as the one file the build publishes:
 * each step once, with the variants it applies to. Only what a terminal needs to type and judge a step: no
 * author notes, no comments, no diagnostics. `plans` must all be of the same chapter. Pure.
 */
export function toPublishedPlan(plans: readonly Plan[]): PublishedPlan {
  const first = plans[0];
  if (!first) throw new Error('toPublishedPlan: no plans');
  return {
    version: PUBLISHED_PLAN_VERSION,
    chapter: { ...first.chapter },
    variants: plans.map((p) => ({ name: p.variant.name, values: { ...p.variant.values } })),
    steps: first.steps.map((s) => toPublishedStep(s, plans)),
    placeholders: first.placeholders.map((p) => ({ ...p })),
  };
}
