import type { RunReport } from './status-model.ts';

/** The result of reading one JSON file as a run report: the report, or what is wrong with it. */
export type RunReportLookup = { ok: true; report: RunReport } | { ok: false; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that parsed JSON is a run report (`version: 1`, as `bookrun run --report` writes it) and returns
 * it typed; the message names the first missing or wrong field.
 */
export function parseRunReport(data: unknown): RunReportLookup {
  if (!isRecord(data)) return { ok: false, message: 'not a run report: expected a JSON object' };
  if (data.version !== 1) return { ok: false, message: `not a version 1 run report (version: ${JSON.stringify(data.version)})` };
  const chapter = data.chapter;
  if (!isRecord(chapter) || typeof chapter.file !== 'string') return { ok: false, message: 'run report without chapter.file' };
  if (typeof chapter.sha256 !== 'string') return { ok: false, message: 'run report without chapter.sha256 (written by an older bookrun run: run the chapter again)' };
  const variant = data.variant;
  if (!isRecord(variant) || typeof variant.name !== 'string') return { ok: false, message: 'run report without variant.name' };
  if (data.status !== 'passed' && data.status !== 'failed') return { ok: false, message: `run report with status ${JSON.stringify(data.status)}: expected "passed" or "failed"` };
  if (typeof data.startedAt !== 'string' || Number.isNaN(Date.parse(data.startedAt))) {
    return { ok: false, message: 'run report without a valid startedAt timestamp' };
  }
  if (!Array.isArray(data.steps)) return { ok: false, message: 'run report without steps' };
  return {
    ok: true,
    report: {
      version: 1,
      chapter: { title: typeof chapter.title === 'string' ? chapter.title : '', file: chapter.file, sha256: chapter.sha256 },
      variant: { name: variant.name, values: isRecord(variant.values) ? (variant.values as Record<string, string>) : {} },
      status: data.status,
      startedAt: data.startedAt,
      durationMs: typeof data.durationMs === 'number' ? data.durationMs : 0,
      steps: data.steps.filter(isRecord) as unknown as RunReport['steps'],
    },
  };
}
