import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseBookConfig } from '../core/book-config.ts';
import { planCiMatrix } from '../core/plan-ci-matrix.ts';
import { toTektonPipeline } from './to-tekton-pipeline.ts';

const config = parseBookConfig(
  {
    title: 'Fixture Book',
    chapters: ['docs/local-canary.md', 'docs/canary.md'],
    variants: { dimensions: { cloud: ['gke', 'eks'], flavor: ['static', 'serverless'] }, name: '{cloud}-{flavor}' },
    ci: {
      secrets: { GH_TOKEN: 'GH_TOKEN' },
      vars: { GH_USER: 'GH_USER' },
      setup: { 'gke-static': 'gcloud container clusters get-credentials jx', 'gke-serverless': '', 'eks-static': '', 'eks-serverless': '' },
      teardown: { 'gke-static': 'gcloud container clusters delete jx --quiet' },
    },
  },
  'bookrun.yaml',
);

function documents() {
  const docs = parseAllDocuments(toTektonPipeline(planCiMatrix(config), { repoUrl: 'https://github.com/author/book.git' }));
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS() as Record<string, any>);
}

describe('toTektonPipeline', () => {
  it('is a Pipeline and a PipelineRun that parse as YAML', () => {
    const [pipeline, run] = documents();
    expect([pipeline.apiVersion, pipeline.kind, pipeline.metadata.name]).toEqual(['tekton.dev/v1', 'Pipeline', 'bookrun']);
    expect([run.apiVersion, run.kind, run.spec.pipelineRef.name]).toEqual(['tekton.dev/v1', 'PipelineRun', 'bookrun']);
    expect(run.spec.params).toEqual([
      { name: 'repo-url', value: 'https://github.com/author/book.git' },
      { name: 'revision', value: 'main' },
    ]);
  });

  it('has one task per chapter × variant, a variant\'s tasks in a row', () => {
    const [pipeline] = documents();
    const tasks = pipeline.spec.tasks as Array<{ name: string; runAfter?: string[] }>;
    expect(tasks.map((t) => t.name)).toEqual([
      'fetch',
      'local-canary-gke-static', 'canary-gke-static',
      'local-canary-gke-serverless', 'canary-gke-serverless',
      'local-canary-eks-static', 'canary-eks-static',
      'local-canary-eks-serverless', 'canary-eks-serverless',
    ]);
    const after = Object.fromEntries(tasks.map((t) => [t.name, t.runAfter]));
    expect(after['local-canary-gke-static']).toEqual(['fetch']);
    expect(after['canary-gke-static']).toEqual(['local-canary-gke-static']);
    expect(after['local-canary-eks-serverless']).toEqual(['fetch']);
    for (const t of tasks) expect(t.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(pipeline.spec.finally[0].taskSpec.steps[0].script).toContain('npx bookrun status --json --reports reports');
  });

  it('sets up, runs with --report and --junit, always tears down, then fails when the run failed', () => {
    const [pipeline] = documents();
    const task = pipeline.spec.tasks.find((t: any) => t.name === 'canary-gke-static');
    const steps = task.taskSpec.steps as Array<{ name: string; onError?: string; script: string }>;
    expect(steps.map((s) => [s.name, s.onError])).toEqual([['setup', 'continue'], ['run', 'continue'], ['teardown', 'continue'], ['verdict', undefined]]);
    expect(steps[0].script).toContain('gcloud container clusters get-credentials jx');
    expect(steps[1].script).toContain('npx bookrun run docs/canary.md --variant gke-static --cwd "$(mktemp -d)" --report reports/canary/gke-static/report.json --junit reports/canary/gke-static/junit.xml');
    // The chapter's teardown section runs after a failure too; keep-resources=true keeps it all for debugging.
    expect(steps[1].script).toContain('KEEP=""; if [ "$(params.keep-resources)" = true ]; then KEEP=--no-teardown; fi');
    expect(steps[1].script).toMatch(/junit\.xml (--secret \w+ )*\$KEEP/);
    expect(steps[2].script).toContain('if [ "$(params.keep-resources)" = true ]; then echo "keep-resources: the cluster is kept"; exit 0; fi');
    expect(steps[2].script).toContain('gcloud container clusters delete jx --quiet');
    expect(steps[3].script).toContain('exit "$(cat $(steps.step-run.exitCode.path))"');
  });

  it('takes secrets from a Secret and variables from a ConfigMap', () => {
    const [pipeline] = documents();
    expect(pipeline.spec.tasks[1].taskSpec.stepTemplate.env).toEqual([
      { name: 'GH_TOKEN', valueFrom: { secretKeyRef: { name: 'bookrun-secrets', key: 'GH_TOKEN' } } },
      { name: 'GH_USER', valueFrom: { configMapKeyRef: { name: 'bookrun-vars', key: 'GH_USER' } } },
    ]);
  });
});

describe('toTektonPipeline labels', () => {
  it('labels the Pipeline and the PipelineRun apart, so apply and create can each pick theirs', () => {
    const [pipeline, run] = documents();
    expect(pipeline.metadata.labels['app.kubernetes.io/component']).toBe('pipeline');
    expect(run.metadata.labels['app.kubernetes.io/component']).toBe('run');
    expect(run.metadata.generateName).toBe('bookrun-');
  });
});
