import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBook, readChapter } from '../book/read-book.ts';
import { toGist } from '../export/to-gist.ts';
import { checkHeadingCase } from '../lint/check-heading-case.ts';
import { expectGolden } from '../testing/expect-golden.ts';
import { toPlanText } from '../testing/to-plan-text.ts';
import { resolveVariant } from './book-config.ts';
import { findGistLinks } from './gist-links.ts';
import type { Chapter } from './model.ts';
import { planChapter } from './plan-chapter.ts';
import { toCommandNames } from './to-command-names.ts';

/**
 * The parser's corpus: one fixture chapter per way real authors write (and per tool they come from), each
 * with a golden plan (`expected/*.plan.txt`, eks-serverless) and gist (`expected/*.sh`); `UPDATE=1`
 * regenerates both. Beside the goldens, the facts that matter are written out by hand below: every command
 * (0 false, 0 missed) and where each expected output comes from (0 wrongly attached).
 */
const dir = path.join(import.meta.dirname, 'fixtures', 'corpus');
const book = await readBook({ config: path.join(dir, 'bookrun.yaml') });
const files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
const variant = (() => {
  const v = resolveVariant(book.config, 'eks-serverless');
  if (!v.ok) throw new Error(v.message);
  return v.variant;
})();
const read = (file: string): Promise<Chapter> => readChapter(book, path.join(dir, file), file);

/** Step line → [first line of the command, line of its expected output (null: none), extra marks]. */
type Expected = Record<number, [string, number | null, Record<string, unknown>?]>;

const EXPECTED: Record<string, Expected> = {
  '01-transcripts.md': {
    11: ['kubectl get nodes', 12],
    19: ['kubectl create namespace transcripts', 20],
    23: ['kubectl --namespace transcripts \\', 26, { comments: ['The Deployment uses the public nginx image'] }],
    35: ['kubectl --namespace transcripts get pods', 36],
    40: ['kubectl --namespace transcripts get pods --output wide', 41, { condition: 'eks' }],
    51: ['kubectl delete namespace transcripts', 52],
  },
  '02-bash-output-fences.md': {
    8: ['kubectl --namespace go-demo-8 get pods', 11],
    20: ['kubectl --namespace go-demo-8 describe pod \\', 26],
    39: ['kubectl --namespace go-demo-8 get service go-demo-8 \\', 43],
    57: ['curl "http://go-demo-8.127.0.0.1.nip.io/demo/hello"', 61],
    63: ['curl "http://go-demo-8.127.0.0.1.nip.io/demo/hello?name=reader"', null],
  },
  '03-editor-files.md': {
    8: ['vim secret.yml', null, { edit: { file: 'secret.yml', line: 13 } }],
    24: ['kubectl apply --filename secret.yml', 29],
    38: ['nano deployment.yaml', null, { edit: { file: 'deployment.yaml', line: 41 } }],
    62: ['vi backup.sh', null, { edit: { file: 'backup.sh', line: 65 } }],
    74: ['bash backup.sh', null],
  },
  '04-prose-in-shell.md': {
    6: ['kubectl --namespace go-demo-8 get pv,pvc,pods', null],
    10: ['kubectl --namespace go-demo-8 \\', null],
    17: ['kubectl --namespace go-demo-8 delete pod go-demo-8-db-0', null],
    21: ['kubectl --namespace go-demo-8 get pods --watch', null, { watchReason: 'flag' }],
  },
  '05-interromper-pt.md': {
    10: ['DOMINIO=go-demo-8.127.0.0.1.nip.io', null],
    12: ['ping $DOMINIO', 17, { watchReason: 'prose' }],
    31: ['kubectl --namespace go-demo-8 \\', null, { watchReason: 'ctrl-c' }],
    38: ['curl "http://localhost:8080/demo/hello"', 43, { watch: false }],
    52: ['kubectl --namespace go-demo-8 \\', null, { watch: false }],
    55: ['curl "http://localhost:8080/demo/hello"', null],
    57: ['kill %1', null, { watch: false }],
  },
  '06-comment-sentences.md': {
    9: ['jx upgrade addons', null, { condition: null, comments: ['If could be `jx upgrade addon jx-prow`'] }],
    12: ['cd environment-jx-rocks-staging', null, { condition: 'already cloned' }],
    15: ['jx upgrade apps --all', null, { condition: 'serverless' }],
    18: ['kubectl --namespace jx get ing', null, { condition: null }],
    21: ['aws elb describe-load-balancers', null, { condition: null }],
    24: ['kubectl get nodes', null, { condition: 'eks or aks' }],
  },
  '07-gist-links.md': {
    16: ['git clone https://github.com/vfarcic/go-demo-6.git', null],
    18: ['cd go-demo-6', null],
  },
  '08-headings.md': {
    8: ['sleep 600 &', null],
    10: ['ps -o pid,stat,args', null],
    16: ['kill %1', null],
    18: ['sleep 600 &', null],
    20: ['pkill sleep', null],
    26: ['ps -o pid,stat,args | grep -v grep', null],
  },
  '09-salida-es.md': {
    8: ['kubectl create namespace go-demo-8', 13],
    20: ['kubectl --namespace go-demo-8 apply \\', null],
    23: ['kubectl --namespace go-demo-8 \\', 29],
  },
  '10-ausgabe-de.md': {
    8: ['kubectl --namespace go-demo-8 \\', 14],
    19: ['kubectl --namespace go-demo-8 get pods \\', 25],
  },
  '11-nested-shells.md': {
    8: ['kubectl --namespace go-demo-8 \\', null, { nestedShell: { role: 'opens', via: 'kubectl exec -it', opener: 'L8' } }],
    15: ['mongosh --quiet --eval "db.stats().ok"', null, { nestedShell: { role: 'inside', via: 'kubectl exec -it', opener: 'L8' } }],
    17: ['exit', null, { nestedShell: { role: 'inside', via: 'kubectl exec -it', opener: 'L8' } }],
    23: ['minikube ssh', null, { nestedShell: { role: 'opens', via: 'minikube ssh', opener: 'L23' } }],
    25: ['docker ps --format "{{.Names}}" | head -n 3', null, { nestedShell: { role: 'inside', via: 'minikube ssh', opener: 'L23' } }],
    27: ['exit', null, { nestedShell: { role: 'inside', via: 'minikube ssh', opener: 'L23' } }],
    29: ['kubectl get nodes', null, { nestedShell: undefined }],
    35: ['docker run -it --rm alpine:3.20 sh', null, { nestedShell: { role: 'opens', via: 'docker run -it', opener: 'L35' } }],
    36: ['wget -qO- http://go-demo-8.go-demo-8/demo/hello', 37, { nestedShell: { role: 'inside', via: 'docker run -it', opener: 'L35' } }],
    38: ['exit', null, { nestedShell: { role: 'inside', via: 'docker run -it', opener: 'L35' } }],
    39: ['docker ps --all --filter ancestor=alpine:3.20', 40, { nestedShell: undefined }],
  },
  '12-runme.md': {
    8: ['brew install kind', null, { annotations: { name: 'install-kind', skip: true, skipReason: 'excludeFromRunAll (Runme)' } }],
    14: ['kind create cluster --name runme-demo', null, { annotations: { name: 'create-cluster' } }],
    18: ['kubectl port-forward service/web 8080:80', null, { terminal: 2, annotations: { name: 'serve' } }],
    22: ['npm ci', null, { annotations: { name: 'build', cwd: './app' } }],
    23: ['npm run build', null, { annotations: { name: 'build', cwd: './app' } }],
    27: ['curl --silent http://localhost:8080', null, { annotations: { name: 'check' } }],
  },
  '13-mdrip.md': {
    7: ['kind create cluster --name mdrip-demo', null, { annotations: { labels: ['tutorial', 'cluster'] } }],
    14: ['open http://localhost:8080', null, { annotations: { skip: true, skipReason: '@skip (mdrip)' } }],
    19: ['kubectl get nodes', null, { annotations: { labels: ['tutorial'] } }],
  },
  '14-innovation-engine.md': {
    11: ['export RANDOM_SUFFIX=$(openssl rand -hex 3)', null],
    12: ['export RESOURCE_GROUP_NAME="rg-quickstart-$RANDOM_SUFFIX"', null],
    13: ['export REGION="westus2"', null],
    19: ['az group create --name $RESOURCE_GROUP_NAME --location $REGION', 25, { similarity: 0.3 }],
    42: ['az group show --name $RESOURCE_GROUP_NAME --query properties.provisioningState --output tsv', 46, { pattern: '^Succeeded$' }],
  },
  '15-txm.md': {
    12: ['name=reader', null, { annotations: { name: 'greeting' } }],
    13: ['echo "hello, $name"', 20, { annotations: { name: 'greeting' } }],
    30: ['ls /no/such/folder', null, { annotations: { name: 'missing folder', exitCode: 2 } }],
  },
};

describe('the parser corpus: chapters as other authors write them', () => {
  it('has at least eight chapters, in English and other languages, each with hand-written expectations', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
    expect(files.filter((f) => /-(pt|es|de)\.md$/.test(f)).length).toBeGreaterThanOrEqual(3);
  });

  for (const file of files) {
    it(`${file}: every command and no other, every output where the author put it (golden plan and gist)`, async () => {
      const chapter = await read(file);
      const expected = EXPECTED[file]!;
      expect(chapter.steps.map((s) => s.line)).toEqual(Object.keys(expected).map(Number));
      for (const step of chapter.steps) {
        const [command, expectLine, marks] = expected[step.line]!;
        expect(step.command.split('\n')[0], `${file}:${step.line}`).toBe(command);
        expect(step.expect?.line ?? null, `${file}:${step.line} expected output`).toBe(expectLine);
        for (const [key, value] of Object.entries(marks ?? {})) {
          const actual =
            key === 'condition' ? (step.condition?.text ?? null) : key === 'similarity' || key === 'pattern' ? step.expect?.[key] : key === 'edit' ? (step.edit ? { file: step.edit.file, line: step.edit.line } : undefined) : step[key as keyof typeof step];
          expect(actual, `${file}:${step.line} ${key}`).toEqual(value);
        }
      }
      // Every block that is neither commands nor their output is content: none of it became a step.
      for (const block of chapter.blocks.filter((b) => !b.shell)) {
        expect(chapter.steps.some((s) => s.line >= block.line && s.line <= block.endLine), `${file}: block at line ${block.line}`).toBe(false);
      }
      const plan = planChapter(chapter, variant, book.config);
      expectGolden(toPlanText(chapter, plan), path.join(dir, 'expected', file.replace(/\.md$/, '.plan.txt')));
      const gist = toGist(chapter, book.config, { displayPath: file });
      expectGolden(gist, path.join(dir, 'expected', file.replace(/\.md$/, '.sh')));
      const bash = spawnSync('bash', ['-n'], { input: gist, encoding: 'utf8' });
      expect(bash.stderr, `${file}: the gist passes bash -n`).toBe('');
    });
  }
});

describe('what the corpus chapters say beyond commands', () => {
  it('gist links with a URL are published, book files are no gists, placeholders stay unresolved', async () => {
    const links = findGistLinks(await read('07-gist-links.md'), book.config);
    expect(links.map((l) => [l.line, l.gist, l.resolved])).toEqual([
      [5, '16-serverless-apps.sh', 'https://gist.github.com/vfarcic/7c1d4a1c6a3b5e2f0d9c8b7a6f5e4d3c'],
      [9, 'gke-jx-serverless.sh', 'https://gist.github.com/vfarcic/a04b1c0e6e0b6e1e4a1d5f0e8c3b2a19'],
      [10, 'eks-jx-serverless.sh', 'https://gist.github.com/vfarcic/69a4cbc65d8cb122d890add5997c463b'],
      [11, 'install-serverless.sh', null],
    ]);
  });

  it('headings: command names keep their case in every style; each style flags its own words', async () => {
    const chapter = await read('08-headings.md');
    const keep = toCommandNames(chapter.steps);
    expect([...keep].sort()).toEqual(['grep', 'kill', 'pkill', 'ps', 'sleep']);
    const off = (style: 'every-word' | 'chicago' | 'sentence') => chapter.headings.map((h) => checkHeadingCase(h.written, style, keep)?.expected ?? null);
    expect(off('every-word')).toEqual([null, null, null, 'What To Look For In The Output']);
    expect(off('chicago')).toEqual(['Processes and Signals', 'Finding Processes with ps', 'Stopping Them with kill and `pkill`', null]);
    expect(off('sentence')).toEqual([null, null, null, null]);
  });

  it('reports prose lines in shell blocks, nested shells and non-shell txm programs, one diagnostic each', async () => {
    const rules = async (file: string) => (await read(file)).diagnostics.map((d) => `${d.line}:${d.rule}`);
    expect(await rules('04-prose-in-shell.md')).toEqual(['8:prose-in-shell-block', '19:prose-in-shell-block']);
    expect(await rules('11-nested-shells.md')).toEqual(['8:nested-shell', '23:nested-shell', '35:nested-shell']);
    expect(await rules('15-txm.md')).toEqual(['37:tool-annotation']);
    expect(await rules('06-comment-sentences.md')).toEqual(['11:unknown-condition']);
  });
});
