import { describe, expect, it } from 'vitest';
import type { ReportFile } from './status-model.ts';
import { toVerification } from './to-verification.ts';

function report(variant: string, startedAt: string, sha256: string, status: 'passed' | 'failed', output = 'hello'): ReportFile {
  return {
    path: `.bookrun/reports/${variant}-${startedAt}.json`,
    report: {
      version: 1,
      chapter: { title: 'T', file: 'docs/a.md', sha256 },
      variant: { name: variant, values: {} },
      status,
      startedAt,
      durationMs: 10,
      steps: [
        { id: 'L3', line: 3, status, output, expect: { matched: status === 'passed', diff: '' } },
        { id: 'L5', line: 5, status: 'passed', output: 'not shown: no expected output' },
      ],
    },
  };
}

describe('toVerification', () => {
  it('takes each variant\'s newest run: verified for the current text, failed, or of an earlier text (no outputs then)', () => {
    const reports = [
      report('gke', '2026-11-01T10:00:00Z', 'now', 'failed'),
      report('gke', '2026-11-30T10:00:00Z', 'now', 'passed', 'hello\nworld'),
      report('eks', '2026-11-29T10:00:00Z', 'now', 'failed', 'oops'),
      report('aks', '2026-11-29T10:00:00Z', 'before', 'passed'),
    ];
    const v = toVerification(reports, [{ key: 'docs/a.md', sha256: 'now', expectSteps: ['L3'] }])['docs/a.md']!;
    expect(v.gke).toMatchObject({ state: 'verified', startedAt: '2026-11-30T10:00:00Z', steps: { L3: { status: 'passed', matched: true, output: 'hello\nworld' } } });
    expect(Object.keys(v.gke!.steps)).toEqual(['L3']);
    expect(v.eks).toMatchObject({ state: 'failed', failedLines: [3], steps: { L3: { matched: false, output: 'oops' } } });
    expect(v.aks).toMatchObject({ state: 'stale', steps: {} });
    expect(v.existing).toBeUndefined();
  });

  it('keeps the tail of a long output', () => {
    const v = toVerification([report('gke', '2026-11-30T10:00:00Z', 'now', 'passed', 'x'.repeat(50) + 'END')], [{ key: 'docs/a.md', sha256: 'now', expectSteps: ['L3'] }], 10);
    expect(v['docs/a.md']!.gke!.steps.L3!.output).toBe('…xxxxxxxEND');
  });
});
