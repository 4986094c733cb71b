import { describe, expect, it } from 'vitest';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { checkGistDrift } from './check-gist-drift.ts';
import { parseGistCommands, toNormalCommand } from './parse-gist-commands.ts';

const generated = [
  '# Rolling Out A Canary',
  '#',
  '# The commands of the chapter.',
  '',
  '###########################',
  '# Deploying Both Releases #',
  '###########################',
  '',
  'kubectl create namespace canaries',
  '',
  '# Go to the second terminal session',
  'kubectl --namespace canaries \\',
  '    get pods --watch',
  '',
  '# Go back to the first terminal session',
  'kubectl --namespace canaries \\',
  '    rollout status deployment canaries-demo',
  '',
  "cat > values.yaml <<'EOF'",
  'replicas: 2',
  'EOF',
  '',
].join('\n');

const published = [
  '# Source: https://gist.github.com/vfarcic/0c9a',
  '',
  'kubectl create namespace canaries',
  '',
  '# Open a second terminal session',
  '',
  'kubectl --namespace canaries get pods --watch',
  '',
  "cat > values.yaml <<'EOF'",
  'replicas: 2',
  'EOF',
  '',
  'kubectl --namespace canaries delete canary canaries-demo',
  '',
].join('\n');

describe('parseGistCommands', () => {
  it('takes the commands of a script without its comments (banners, conditions, terminal switches), heredocs whole', async () => {
    const commands = await parseGistCommands(generated, shSyntaxParser);
    expect(commands.map((c) => [c.line, c.normal])).toEqual([
      [9, 'kubectl create namespace canaries'],
      [12, 'kubectl --namespace canaries get pods --watch'],
      [16, 'kubectl --namespace canaries rollout status deployment canaries-demo'],
      [19, "cat > values.yaml <<'EOF'\nreplicas: 2\nEOF"],
    ]);
  });

  it('reads a script the shell parser rejects one paragraph at a time', async () => {
    const commands = await parseGistCommands('echo "open\n\nls -la\n', shSyntaxParser);
    expect(commands.map((c) => c.normal)).toEqual(['echo "open', 'ls -la']);
  });

  it('compares layouts as one: continuations joined, blanks collapsed', () => {
    expect(toNormalCommand('kubectl  get pods \\\n      --watch')).toBe(toNormalCommand('kubectl get pods --watch'));
  });
});

describe('checkGistDrift', () => {
  it('lists the commands the published gist lacks and has extra, in order; comments and layout do not count', async () => {
    const drift = checkGistDrift(await parseGistCommands(generated, shSyntaxParser), await parseGistCommands(published, shSyntaxParser));
    expect(drift.lacks.map((c) => [c.line, c.normal])).toEqual([[16, 'kubectl --namespace canaries rollout status deployment canaries-demo']]);
    expect(drift.extra.map((c) => [c.line, c.normal])).toEqual([[13, 'kubectl --namespace canaries delete canary canaries-demo']]);
  });

  it('finds nothing when only comments and layout differ', async () => {
    const a = await parseGistCommands('# one\nls \\\n  -la\n', shSyntaxParser);
    const b = await parseGistCommands('ls -la\n# two\n', shSyntaxParser);
    expect(checkGistDrift(a, b)).toEqual({ lacks: [], extra: [] });
  });
});
