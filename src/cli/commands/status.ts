import { readStatus } from '../../status/read-status.ts';
import { toStatusText } from '../../status/to-status-text.ts';
import { UsageError } from '../errors.ts';
import { parseFlags } from '../parse-flags.ts';

const USAGE = 'usage: bookrun status [--json] [--reports DIR] [--config FILE]';

/**
 * `bookrun status [--json] [--reports DIR]`: every chapter's checklist with its state and evidence.
 * A table on a TTY (colour only there), the JSON contract (docs/reference/status.md) with `--json`.
 */
export default async function status(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      json: { type: 'boolean', default: false },
      reports: { type: 'string' },
      config: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": status covers every chapter of bookrun.yaml\n${USAGE}`);
  const result = await readStatus({ config: values.config, reports: values.reports });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
    process.stdout.write(toStatusText(result, { color }));
  }
  return 0;
}
