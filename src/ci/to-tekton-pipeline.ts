import { stringify } from 'yaml';
import type { CiMatrix, CiVariant, CiChapter } from '../core/plan-ci-matrix.ts';

/** Options of {@link toTektonPipeline}. */
export interface TektonOptions {
  /** The git URL the PipelineRun clones. */
  repoUrl: string;
  /** The branch, tag or commit the PipelineRun checks out. */
  revision?: string;
  /** The image every step runs in (needs bash, git, Node.js and the variant's cluster tools). */
  image?: string;
  /** Name of the Pipeline. */
  name?: string;
  /** Kubernetes Secret / ConfigMap the jobs' secrets and variables come from. */
  secretName?: string;
  configMapName?: string;
  /** The command line that generated the file, for its header. */
  command?: string;
}

/** Turns any text into a DNS-1123 label (what Tekton accepts as a task or step name), at most 63 characters. */
function label(text: string): string {
  const clean = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  if (clean.length <= 63) return clean;
  let hash = 0x811c9dc5;
  for (const ch of text) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `${clean.slice(0, 54).replace(/-+$/, '')}-${hash.toString(16).padStart(8, '0')}`;
}

/** The Tekton task name of one chapter × variant job. */
export function tektonTaskName(chapter: CiChapter, variant: CiVariant): string {
  return label(`${chapter.slug}-${variant.id}`);
}

function script(lines: string[]): string {
  return ['#!/usr/bin/env bash', ...lines].join('\n') + '\n';
}

function setupScript(v: CiVariant): string[] {
  switch (v.setup.kind) {
    case 'none':
      return ['echo "no cluster setup for this variant"'];
    case 'missing':
      return [`echo ${JSON.stringify(v.setup.message)} >&2`, 'exit 1'];
    case 'command':
      return ['set -eo pipefail', v.setup.command];
  }
}

function runTask(matrix: CiMatrix, v: CiVariant, c: CiChapter, after: string, env: unknown[]): Record<string, unknown> {
  const report = `reports/${c.slug}/${v.id}/report.json`;
  const junit = `reports/${c.slug}/${v.id}/junit.xml`;
  const secrets = matrix.env.filter((e) => e.from === 'secret').map((e) => `--secret ${e.name}`);
  const args = [`--variant ${v.name}`, '--cwd "$(mktemp -d)"', `--report ${report}`, `--junit ${junit}`, ...secrets, '$KEEP', ...matrix.runArgs];
  return {
    name: tektonTaskName(c, v),
    runAfter: [after],
    params: [{ name: 'image', value: '$(params.image)' }, { name: 'keep-resources', value: '$(params.keep-resources)' }],
    workspaces: [{ name: 'source', workspace: 'source' }],
    taskSpec: {
      params: [{ name: 'image', type: 'string' }, { name: 'keep-resources', type: 'string', default: 'false' }],
      workspaces: [{ name: 'source' }],
      stepTemplate: { image: '$(params.image)', workingDir: '$(workspaces.source.path)', ...(env.length > 0 ? { env } : {}) },
      steps: [
        { name: 'setup', onError: 'continue', script: script(setupScript(v)) },
        {
          name: 'run',
          onError: 'continue',
          script: script([
            'set -uo pipefail',
            'if [ "$(cat $(steps.step-setup.exitCode.path))" != 0 ]; then',
            `  echo "the ${v.name} cluster setup failed: not running ${c.file}" >&2`,
            '  exit 1',
            'fi',
            `mkdir -p reports/${c.slug}/${v.id}`,
            // The chapter's teardown section runs after a failure too, unless the run keeps the resources.
            'KEEP=""; if [ "$(params.keep-resources)" = true ]; then KEEP=--no-teardown; fi',
            `npx bookrun run ${c.file} ${args.join(' ')}`,
          ]),
        },
        {
          name: 'teardown',
          onError: 'continue',
          script: script(
            v.teardown
              ? ['set -eo pipefail', 'if [ "$(params.keep-resources)" = true ]; then echo "keep-resources: the cluster is kept"; exit 0; fi', v.teardown]
              : ['echo "no teardown configured (ci.teardown)"'],
          ),
        },
        { name: 'verdict', script: script(['exit "$(cat $(steps.step-run.exitCode.path))"']) },
      ],
    },
  };
}

/**
 * Tekton `Pipeline` + `PipelineRun` (one YAML stream, two documents) for the book's chapters × variants:
 * a task that clones the book and installs it, then one task per chapter × variant (set up the cluster, run
 * the chapter with `--report` and `--junit`, always tear down, then fail if the run failed). A variant's
 * tasks run one after another (they share its cluster), variants in parallel; a `finally` task prints
 * `bookrun status` from every report. Secrets and variables come from a Secret and a ConfigMap, never from
 * the file.
 */
export function toTektonPipeline(matrix: CiMatrix, options: TektonOptions): string {
  const name = options.name ?? 'bookrun';
  const env = matrix.env.map((e) => ({
    name: e.name,
    valueFrom:
      e.from === 'secret'
        ? { secretKeyRef: { name: options.secretName ?? 'bookrun-secrets', key: e.key } }
        : { configMapKeyRef: { name: options.configMapName ?? 'bookrun-vars', key: e.key } },
  }));
  const tasks: Array<Record<string, unknown>> = [
    {
      name: 'fetch',
      params: [
        { name: 'repo-url', value: '$(params.repo-url)' },
        { name: 'revision', value: '$(params.revision)' },
        { name: 'image', value: '$(params.image)' },
      ],
      workspaces: [{ name: 'source', workspace: 'source' }],
      taskSpec: {
        params: [{ name: 'repo-url', type: 'string' }, { name: 'revision', type: 'string' }, { name: 'image', type: 'string' }],
        workspaces: [{ name: 'source' }],
        steps: [
          {
            name: 'clone',
            image: '$(params.image)',
            workingDir: '$(workspaces.source.path)',
            script: script([
              'set -euo pipefail',
              'git init -q . && git remote add origin "$(params.repo-url)"',
              'git fetch -q --depth 1 origin "$(params.revision)" && git checkout -q FETCH_HEAD',
              'npm ci --no-audit --no-fund',
            ]),
          },
        ],
      },
    },
  ];
  for (const v of matrix.variants) {
    let after = 'fetch';
    for (const c of v.chapters) {
      const task = runTask(matrix, v, c, after, env);
      tasks.push(task);
      after = task.name as string;
    }
  }
  const pipeline = {
    apiVersion: 'tekton.dev/v1',
    kind: 'Pipeline',
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'bookrun', 'app.kubernetes.io/component': 'pipeline' } },
    spec: {
      description: `Runs every chapter of ${matrix.title} for every variant (generated by bookrun ci tekton).`,
      params: [
        { name: 'repo-url', type: 'string', description: 'git URL of the book' },
        { name: 'revision', type: 'string', default: options.revision ?? 'main' },
        { name: 'image', type: 'string', default: options.image ?? 'node:20', description: 'needs bash, git, Node.js and the cluster tools' },
        { name: 'keep-resources', type: 'string', default: 'false', description: '"true" keeps what the chapters create, for debugging (bookrun run --no-teardown, no cluster teardown)' },
      ],
      workspaces: [{ name: 'source' }],
      tasks,
      finally: [
        {
          name: 'status',
          params: [{ name: 'image', value: '$(params.image)' }],
          workspaces: [{ name: 'source', workspace: 'source' }],
          taskSpec: {
            params: [{ name: 'image', type: 'string' }],
            workspaces: [{ name: 'source' }],
            steps: [
              {
                name: 'status',
                image: '$(params.image)',
                workingDir: '$(workspaces.source.path)',
                script: script(['mkdir -p reports', 'npx bookrun status --reports reports', 'npx bookrun status --json --reports reports']),
              },
            ],
          },
        },
      ],
    },
  };
  const run = {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { generateName: `${name}-`, labels: { 'app.kubernetes.io/managed-by': 'bookrun', 'app.kubernetes.io/component': 'run' } },
    spec: {
      pipelineRef: { name },
      params: [
        { name: 'repo-url', value: options.repoUrl },
        { name: 'revision', value: options.revision ?? 'main' },
      ],
      workspaces: [
        {
          name: 'source',
          volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } } },
        },
      ],
    },
  };
  const header = [
    `# Generated by \`${options.command ?? 'bookrun ci tekton'}\` from ${matrix.config} (${matrix.title}).`,
    '# Install or update the Pipeline: kubectl apply -f FILE -l app.kubernetes.io/component=pipeline',
    '# Start a run:                    kubectl create -f FILE -l app.kubernetes.io/component=run',
    ...(matrix.env.length > 0
      ? [`# Secrets come from the Secret ${options.secretName ?? 'bookrun-secrets'} and variables from the ConfigMap ${options.configMapName ?? 'bookrun-vars'}.`]
      : []),
    ...matrix.warnings.map((w) => `# Warning: ${w}`),
  ];
  // No YAML anchors: not every Tekton tool reads them, and a generated file needs no brevity.
  const plain = { lineWidth: 0, aliasDuplicateObjects: false };
  return `${header.join('\n')}\n${stringify(pipeline, plain)}---\n${stringify(run, plain)}`;
}
