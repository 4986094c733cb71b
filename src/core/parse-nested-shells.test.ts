import { describe, expect, it } from 'vitest';
import { parseForTest } from '../testing/parse-for-test.ts';

const fence = '```';

describe('parseNestedShells: a shell opened elsewhere and the commands meant inside it', () => {
  it('marks the opener and the commands up to its exit in the same section, across blocks, and reports it', async () => {
    const chapter = await parseForTest([
      '## Inside', '', `${fence}bash`, 'kubectl exec -it db-0 -- sh', fence, '', 'Now inside:', '', `${fence}bash`, 'ls /data', '', 'exit', '', 'kubectl get pods', fence,
      '', '## Node', '', `${fence}bash`, 'minikube ssh', '', 'docker ps', fence, '', `${fence}bash`, 'kubectl get nodes', fence,
    ]);
    expect(chapter.steps.map((s) => [s.line, s.nestedShell?.role ?? null, s.nestedShell?.opener ?? null])).toEqual([
      [4, 'opens', 'L4'], [10, 'inside', 'L4'], [12, 'inside', 'L4'], [14, null, null],
      [20, 'opens', 'L20'], [22, 'inside', 'L20'], [26, null, null],
    ]);
    expect(chapter.diagnostics.map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['4:nested-shell:warning', '20:nested-shell:warning']);
    expect(chapter.diagnostics[0]!.message).toContain('the commands at lines 10, 12 are meant inside it');
  });

  it('an opener marked skip is reported as info only', async () => {
    const chapter = await parseForTest(['# T', '', `${fence}bash`, '# bookrun: skip="interactive"', 'docker run -it --rm alpine sh', fence]);
    expect(chapter.diagnostics.map((d) => `${d.rule}:${d.severity}`)).toEqual(['nested-shell:info']);
  });
});
