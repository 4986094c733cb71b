import { describe, expect, it } from 'vitest';
import { detectEditor } from './detect-editor.ts';
import { detectShortLived } from './detect-short-lived.ts';
import { looksLikeData } from './looks-like-data.ts';
import { looksLikeProse } from './looks-like-prose.ts';
import { readsAsOutput } from './reads-as-output.ts';

describe('the line shapes the parser tells apart', () => {
  it('detectEditor: an editor on one file, never kubectl edit', () => {
    expect(['vim secret.yml', 'nano +12 app.yaml', 'sudo vi /etc/hosts', '$EDITOR run.sh', 'code .', 'code --install-extension ms-python.python', 'kubectl edit deploy x', 'vim a.yaml b.yaml', 'vim $FILE'].map(detectEditor)).toEqual([
      { editor: 'vim', file: 'secret.yml' }, { editor: 'nano', file: 'app.yaml' }, { editor: 'vi', file: '/etc/hosts' }, { editor: '$EDITOR', file: 'run.sh' }, null, null, null, null, null,
    ]);
  });

  it('detectShortLived: commands a ctrl+c hint cannot be about', () => {
    expect(['kill %1', 'echo done', 'cd ..', 'export A=1', 'A=1', 'kubectl port-forward svc/x 80 &', 'rm -rf x && cd ..'].every(detectShortLived)).toBe(true);
    expect(['ping $DOMAIN', 'kubectl port-forward svc/x 80', 'minikube tunnel', 'while true; do curl x; done', 'fg %1', 'kubectl get pods --watch'].some(detectShortLived)).toBe(false);
  });

  it('looksLikeProse: schematics and parenthesised sentences, not commands', () => {
    expect(['pv(persistent volume) -> pvc -> pod', 'client -> service -> pod', 'ingress => service', 'this works the same (as before)'].every(looksLikeProse)).toBe(true);
    expect(['kubectl get pods', 'echo "a -> b"', 'cat x | grep -- "->"', 'f() { echo x; }', '(cd x && ls)', '# a -> b'].some(looksLikeProse)).toBe(false);
  });

  it('looksLikeData and readsAsOutput: file content and output, not commands', () => {
    expect(['apiVersion: v1', '  name: x', '- port: 80', '---', '{', '{"a": 1}', '[server]', '#!/bin/bash', '<html>', 'FROM node:20'].every(looksLikeData)).toBe(true);
    expect(['kubectl get pods', 'https://x.io', 'ls -la', 'echo a: b'].some(looksLikeData)).toBe(false);
    expect(['NAME   READY', 'hello, world!', 'done.', 'Events:', 'apiVersion: v1'].every(readsAsOutput)).toBe(true);
    expect(['curl localhost', 'ls', '. ./env.sh', 'cd ..', 'VAR=1', '# a comment'].some(readsAsOutput)).toBe(false);
  });
});
