import { VFile } from 'vfile';
import type { Diagnostic } from '../core/model.ts';

/**
 * Turns a chapter's findings into unified's vfile messages (`file.message(reason, {place, ruleId, source})`),
 * the shape remark-lint users and editor integrations expect. `fatal` is true for errors, false for
 * warnings and undefined for info, as in vfile.
 */
export function toVFile(path: string, diagnostics: Diagnostic[]): VFile {
  const file = new VFile({ path });
  for (const d of diagnostics) {
    const message = file.message(d.message, {
      place: { line: d.line, column: d.column },
      ruleId: d.rule,
      source: 'bookrun',
    });
    message.fatal = d.severity === 'error' ? true : d.severity === 'warning' ? false : undefined;
  }
  return file;
}
