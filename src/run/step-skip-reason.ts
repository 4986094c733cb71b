import type { PlannedStep } from '../core/model.ts';

/** Why a step of the plan does not run, or null when it does. */
export function stepSkipReason(step: PlannedStep, range: { from?: number | null; to?: number | null }): string | null {
  if (step.annotations.skip) return step.annotations.skipReason ? `skipped: ${step.annotations.skipReason}` : 'skipped by annotation';
  if (range.from != null && step.endLine < range.from) return `before --from ${range.from}`;
  if (range.to != null && step.line > range.to) return `after --to ${range.to}`;
  return null;
}
