import { fillPlaceholders } from '../core/fill-placeholders.ts';
import type { SiteStep } from './to-block-props.ts';

/**
 * What Copy puts on the clipboard: the commands of `steps` (the chosen variant's, of one terminal), one blank
 * line apart, each placeholder the reader filled in written as `NAME='value'` (shell-quoted, the one way every
 * caller fills them); a placeholder left empty stays `NAME=[...]`. Values are checked before they are ever
 * stored, so none here can act as keys in the reader's terminal. Pure.
 */
export function toCopyText(steps: readonly SiteStep[], values: Readonly<Record<string, string>>): string {
  return steps
    .map((step) => {
      const filled = fillPlaceholders(step.command, step.placeholders, (name) => (values[name]?.trim() ? values[name] : undefined));
      return filled.kind === 'filled' ? filled.command : step.command;
    })
    .join('\n\n');
}
