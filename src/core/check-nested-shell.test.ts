import { describe, expect, it } from 'vitest';
import { parseForTest, testConfig } from '../testing/parse-for-test.ts';
import { checkNestedShell } from './check-nested-shell.ts';
import { planChapter } from './plan-chapter.ts';

const fence = '```';
const variant = { name: 'gke-static', values: { cloud: 'gke', flavor: 'static' } };

describe('checkNestedShell: what the runner does with a nested shell', () => {
  it('fails the opener at once with the reason, fails the commands meant inside it, leaves the others', async () => {
    const plan = planChapter(await parseForTest(['# T', '', `${fence}bash`, 'kubectl exec -it db-0 -- sh', '', 'ls /data', '', 'exit', fence, '', `${fence}bash`, 'kubectl get pods', fence]), variant, testConfig);
    const verdicts = plan.steps.map((s) => checkNestedShell(s, plan));
    expect(verdicts.map((v) => v?.status ?? null)).toEqual(['failed', 'failed', 'failed', null]);
    expect(verdicts[0]!.reason).toMatch(/^opens a nested shell \(kubectl exec -it\): a headless run cannot type the commands meant inside it \(lines 6, 8\), so it stops here/);
    expect(verdicts[1]!.reason).toBe('meant inside the nested shell opened at line 4 (kubectl exec -it), which a headless run cannot type into');
  });

  it('skips the commands meant inside when the opener is skipped or not in the plan', async () => {
    const skipped = planChapter(await parseForTest(['# T', '', `${fence}bash`, '# bookrun: skip="interactive"', 'minikube ssh', '', 'docker ps', fence]), variant, testConfig);
    expect(skipped.steps.map((s) => checkNestedShell(s, skipped)?.status ?? null)).toEqual(['failed', 'skipped']);
    const excluded = planChapter(await parseForTest(['# T', '', `${fence}bash`, '# If EKS', 'minikube ssh', '', 'docker ps', fence]), variant, testConfig);
    expect(checkNestedShell(excluded.steps[1]!, excluded)).toEqual({ status: 'skipped', reason: 'meant inside the nested shell opened at line 5 (minikube ssh), which is not run' });
  });
});
