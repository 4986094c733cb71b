import { checkValue } from './check-value.ts';

/** A value and where it came from, as messages name it: `--set PORT`, `values.yaml:3 PORT`, `environment variable PORT`. */
export interface SourcedValue {
  name: string;
  value: string;
  from: string;
}

/**
 * Checks every value a run was given, wherever it came from, before anything runs: one message per
 * refused value, naming its source and the rule (see {@link checkValue}). Pure.
 */
export function checkValueSources(values: readonly SourcedValue[]): string[] {
  const problems: string[] = [];
  for (const { value, from } of values) {
    const problem = checkValue(value);
    if (problem) problems.push(`${from}: the value ${problem.message}`);
  }
  return problems;
}
