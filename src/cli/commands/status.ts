import { parseArgs } from 'node:util';
import { ChapterNotFoundError } from '../../book/read-book.ts';
import { readStatus } from '../../status/read-status.ts';
import { ReportError } from '../../status/read-reports.ts';
import { toStatusText } from '../../status/to-status-text.ts';
import { UsageError } from '../errors.ts';

const USAGE = 'usage: bookrun status [--json] [--reports DIR] [--config FILE]';

/**
 * `bookrun status [--json] [--reports DIR]`: every chapter's checklist with its state and evidence.
 * A table on a TTY (colour only there), the JSON contract (docs/reference/status.md) with `--json`.
 */
export default async function status(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      reports: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": status covers every chapter of bookrun.yaml\n${USAGE}`);
  let result;
  try {
    result = await readStatus({ config: values.config, reports: values.reports });
  } catch (error) {
    if (error instanceof ReportError || error instanceof ChapterNotFoundError) throw new UsageError(error.message);
    throw error;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
    process.stdout.write(toStatusText(result, { color }));
  }
  return 0;
}
