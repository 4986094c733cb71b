import { describe, expect, it } from 'vitest';
import { parseForTest, phaseInput } from '../testing/parse-for-test.ts';
import { parseTranscript, stripPrompt } from './parse-transcripts.ts';

const fence = '```';

function transcript(lines: string[]) {
  const { ctx, blocks } = phaseInput(lines);
  return parseTranscript(ctx, blocks.find((b) => b.transcript)!).map(({ step }) => ({ line: step.line, endLine: step.endLine, command: step.command, expect: step.expect ? [step.expect.line, step.expect.text] : null }));
}

describe('parseTranscript: what follows $ is typed, the rest is what the terminal printed', () => {
  it('takes prompt lines (with \\ and > continuations) as commands and the lines after them as their output', () => {
    expect(transcript([fence, '$ kubectl get ns', 'NAME     STATUS', 'default  Active', '$ cat <<EOF > a.txt', '> hello', '> EOF', '$ kubectl \\', '    get pods', 'No resources found.', fence])).toEqual([
      { line: 2, endLine: 2, command: 'kubectl get ns', expect: [3, 'NAME     STATUS\ndefault  Active'] },
      { line: 5, endLine: 7, command: 'cat <<EOF > a.txt\nhello\nEOF', expect: null },
      { line: 8, endLine: 9, command: 'kubectl \\\n    get pods', expect: [10, 'No resources found.'] },
    ]);
  });

  it('gives the comments before a prompt to the next command, not to the output before them; bare $ lines are no commands', () => {
    expect(transcript([fence, '$ kubectl create ns a', 'namespace/a created', '', '# Now the Deployment', '$ # If EKS', '$ kubectl create deploy web --image nginx', 'deployment.apps/web created', '$', '$ ', fence])).toEqual([
      { line: 2, endLine: 2, command: 'kubectl create ns a', expect: [3, 'namespace/a created'] },
      { line: 7, endLine: 7, command: 'kubectl create deploy web --image nginx', expect: [8, 'deployment.apps/web created'] },
    ]);
  });

  it('reads the prompts of a nested shell after the command that opens it, up to its exit', () => {
    expect(transcript([fence, '$ kubectl exec -it db-0 -- sh', '/ # ls /data', 'db', '/ # exit', '/ # not a prompt any more', fence])).toEqual([
      { line: 2, endLine: 2, command: 'kubectl exec -it db-0 -- sh', expect: null },
      { line: 3, endLine: 3, command: 'ls /data', expect: [4, 'db'] },
      { line: 5, endLine: 5, command: 'exit', expect: [6, '/ # not a prompt any more'] },
    ]);
  });

  it('reads an indented transcript without its indentation', () => {
    expect(transcript(['Run it:', '', '    $ ls', '    a.txt'])).toEqual([{ line: 3, endLine: 3, command: 'ls', expect: [4, 'a.txt'] }]);
  });

  it('knows the prompts of the shells and REPLs transcripts go into', () => {
    expect(['/ # ls', 'root@app:/# ls', 'docker@minikube:~$ ls', '[root@host ~]# ls', 'bash-5.1# ls', '~ $ ls', 'test> db.stats()', 'postgres=# \\l', 'mysql> show tables;', '>>> print(1)'].map(stripPrompt)).toEqual(
      ['ls', 'ls', 'ls', 'ls', 'ls', 'ls', 'db.stats()', '\\l', 'show tables;', 'print(1)'],
    );
  });

  it('in a whole chapter: a $ # comment is a condition on the next command', async () => {
    const chapter = await parseForTest(['# T', '', fence, '$ # If EKS', '$ eksctl get clusters', fence]);
    expect(chapter.steps.map((s) => [s.command, s.condition?.text])).toEqual([['eksctl get clusters', 'eks']]);
  });
});
