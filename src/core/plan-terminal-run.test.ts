import { describe, expect, it } from 'vitest';
import type { Plan, PlannedStep } from './model.ts';
import { digestStep } from './digest-step.ts';
import { VALUE_RULE } from './check-value.ts';
import { planTerminalRun } from './plan-terminal-run.ts';

function step(id: string, command: string, extra: Partial<PlannedStep> = {}): PlannedStep {
  return {
    id, line: Number(id.slice(1)), endLine: Number(id.slice(1)), command, block: 0, section: null, condition: null, when: null,
    terminal: 1, watch: false, watchReason: null, retryWhile: null, eventually: false, placeholders: [], uses: [],
    expect: null, annotations: {}, comments: [], included: true, ...extra,
  } as PlannedStep;
}

const plan: Plan = {
  version: 1,
  chapter: { title: 'Canary', file: 'docs/canary.md' },
  variant: { name: 'gke-static', values: { cloud: 'gke', flavor: 'static' } },
  steps: [
    step('L10', 'echo hi'),
    step('L12', 'VERSION=[...]', { placeholders: ['VERSION'] }),
    step('L14', 'export GH_USER=[...] VERSION=[...]', { placeholders: ['GH_USER', 'VERSION'] }),
    step('L16', 'echo "only eks"', { included: false, condition: 'eks' }),
    step('L18', 'kubectl get pods --watch', { watch: true, terminal: 2, annotations: { until: 'Running', timeoutMs: 60000, exitCode: 1 } }),
    step('L20', 'open https://github.com/[...]/go-demo-6'),
    step('L22', 'tail -f x', { annotations: { until: '(' } }),
  ],
  placeholders: [],
  notes: [],
  checklist: [],
  diagnostics: [],
};

describe('planTerminalRun', () => {
  it('refuses a step whose command is not the one the page shows (a stale or misnumbered page)', () => {
    expect(planTerminalRun(plan, { step: 'L10', digest: digestStep('echo hi') })).toMatchObject({ kind: 'command', command: 'echo hi' });
    const stale = planTerminalRun(plan, { step: 'L10', digest: digestStep('rm -rf build') });
    expect(stale).toMatchObject({ kind: 'refused' });
    expect(stale.kind === 'refused' && stale.message).toMatch(/docs\/canary\.md:10: step L10 is not the command this page shows .*reload the page/);
  });

  it('fingerprints commands: equal text, equal digest; any change, another one', () => {
    expect(digestStep('kubectl get pods')).toMatch(/^[0-9a-f]{16}$/);
    expect(digestStep('kubectl get pods')).toBe(digestStep('kubectl get pods'));
    expect(new Set(['kubectl get pods', 'kubectl get pod', 'kubectl get podS', 'kubectl  get pods', '']).size).toBe(
      new Set(['kubectl get pods', 'kubectl get pod', 'kubectl get podS', 'kubectl  get pods', ''].map(digestStep)).size,
    );
  });

  it('finds the step in the server\'s own plan', () => {
    expect(planTerminalRun(plan, { step: 'L10' })).toMatchObject({ kind: 'command', command: 'echo hi', terminal: 1, until: null, timeoutMs: null, expectedExitCode: 0 });
    expect(planTerminalRun(plan, { step: 'L18' })).toMatchObject({ kind: 'command', terminal: 2, until: 'Running', timeoutMs: 60000, expectedExitCode: 1 });
  });

  it('fills placeholders, quoting values so they stay data', () => {
    expect(planTerminalRun(plan, { step: 'L12', values: { VERSION: '1.2.3' } })).toMatchObject({ command: 'VERSION=1.2.3' });
    expect(planTerminalRun(plan, { step: 'L14', values: { GH_USER: 'vfarcic', VERSION: "1; rm -rf ~ 'x'" } })).toMatchObject({
      command: `export GH_USER=vfarcic VERSION='1; rm -rf ~ '\\''x'\\'''`,
    });
  });

  it('refuses what it must not run', () => {
    const refused = (request: { step: string; values?: Record<string, string> }) => {
      const r = planTerminalRun(plan, request);
      return r.kind === 'refused' ? r.message : `ran: ${r.command}`;
    };
    expect(refused({ step: 'L99' })).toBe('docs/canary.md: no step L99: reload the page (the chapter may have changed)');
    expect(refused({ step: 'L16' })).toBe('docs/canary.md:16: step L16 does not apply to variant gke-static (only for eks)');
    expect(refused({ step: 'L12' })).toContain('needs a value for VERSION');
    expect(refused({ step: 'L14', values: { GH_USER: 'me' } })).toContain('needs a value for VERSION');
    expect(refused({ step: 'L20' })).toContain('still contains [...]');
    expect(refused({ step: 'L22' })).toContain('invalid until pattern');
  });

  it('refuses a value that would act as keys in the terminal, naming the placeholder', () => {
    // ESC[201~ ends the bracketed paste, ctrl+u erases the line, and the rest would be a command of its own.
    const attack = planTerminalRun(plan, { step: 'L14', values: { GH_USER: 'me', VERSION: '\u001b[201~\u0015touch pwned #' } });
    expect(attack).toEqual({ kind: 'refused', message: `docs/canary.md:14: step L14: VERSION: the value holds ESC (U+001B) at character 1: ${VALUE_RULE}` });
    expect(planTerminalRun(plan, { step: 'L12', values: { VERSION: '1.2.3\n' } })).toMatchObject({ kind: 'refused', message: expect.stringContaining('VERSION: the value holds newline (U+000A) at character 6') });
  });
});
