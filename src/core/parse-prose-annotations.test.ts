import { describe, expect, it } from 'vitest';
import { parseForTest } from '../testing/parse-for-test.ts';

const fence = '```';
const watches = async (lines: string[]) => (await parseForTest(['# T', '', ...lines])).steps.map((s) => [s.command, s.watchReason]);

describe('parseProseAnnotations: what the prose between blocks says about the commands', () => {
  it('an aside "only if you are using **EKS**" puts a condition on the next shell block only', async () => {
    const chapter = await parseForTest(['# T', '', 'W> Run the commands that follow only if you are **NOT** using **GKE**.', '', fence, 'out', fence, '', `${fence}bash`, 'ls', fence, '', `${fence}bash`, 'pwd', fence]);
    expect(chapter.steps.map((s) => s.condition?.text ?? null)).toEqual(['not gke', null]);
  });

  it('ctrl+c in the first paragraph after a block, or in the first two after its output fence, makes its last command a watch', async () => {
    expect(await watches([`${fence}bash`, 'minikube tunnel', fence, '', 'NOTE: Stop with *ctrl+c*'])).toEqual([['minikube tunnel', 'prose']]);
    expect(await watches([`${fence}bash`, 'ping $DOMAIN', fence, '', fence, '64 bytes from x', fence, '', 'It never stops.', '', 'Please press *ctrl+c* to stop it.'])).toEqual([['ping $DOMAIN', 'prose']]);
    expect(await watches([`${fence}bash`, 'ping $DOMAIN', fence, '', 'It never stops.', '', 'Please press *ctrl+c* to stop it.'])).toEqual([['ping $DOMAIN', null]]);
  });

  it('never marks a command that ends by itself, across a heading, or when the prose is about another terminal', async () => {
    expect(await watches([`${fence}bash`, 'kubectl port-forward svc/x 8080:80 &', '', 'kill %1', fence, '', 'Without the `&`, you would stop it with *ctrl+c*.'])).toEqual([
      ['kubectl port-forward svc/x 8080:80 &', null],
      ['kill %1', null],
    ]);
    expect(await watches([`${fence}bash`, 'curl localhost', fence, '', '## Cleanup', '', 'Stop the loop with *ctrl+c*.'])).toEqual([['curl localhost', null]]);
    expect(await watches([`${fence}bash`, 'curl localhost', fence, '', 'Go to the second terminal and stop the loop with *ctrl+c*.'])).toEqual([['curl localhost', null]]);
    expect(await watches([`${fence}bash`, 'curl localhost', fence, '', 'Vá para o segundo terminal e pressione *ctrl+c*.'])).toEqual([['curl localhost', null]]);
  });

  it('finds the sentences that explain placeholders', async () => {
    const chapter = await parseForTest(['# T', '', 'Please replace `[...]` with your GitHub user.', '', `${fence}bash`, 'GH_USER=[...]', fence]);
    expect(chapter.placeholders[0]?.description).toBe('Please replace `[...]` with your GitHub user.');
  });
});
