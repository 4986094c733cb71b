import { describe, expect, it } from 'vitest';
import type { Step } from '../core/model.ts';
import { spawnBashSyntax } from './spawn-bash-syntax.ts';

function step(line: number, command: string): Step {
  return {
    id: `L${line}`, line, endLine: line + command.split('\n').length - 1, command, block: 0, section: null, condition: null,
    terminal: 1, watch: false, watchReason: null, retryWhile: null, eventually: false, placeholders: [], uses: [],
    expect: null, annotations: {}, comments: [],
  };
}

describe('spawnBashSyntax', () => {
  it('reports each broken command at the chapter line bash names, and nothing for the good ones', async () => {
    const found = await spawnBashSyntax([
      step(10, 'echo "fine"'),
      step(12, 'if [ -z "$ISTIO_IP" ]; then\n    echo "no address"\n\nfi\nfi'),
      step(20, 'kubectl get pods \\\n    --watch'),
      step(30, 'echo "never closed'),
    ]);
    expect(found.map((d) => [d.line, d.rule, d.severity])).toEqual([
      [16, 'shell-syntax', 'error'],
      [30, 'shell-syntax', 'error'],
    ]);
    expect(found[0]!.message).toBe("bash -n: syntax error near unexpected token `fi' (in the command at line 12)");
  });

  it('checks one command at a time: a quote left open does not swallow the next command', async () => {
    const found = await spawnBashSyntax([step(1, "echo 'open"), step(3, "echo close'")]);
    expect(found.map((d) => d.line)).toEqual([1, 3]);
  });
});
