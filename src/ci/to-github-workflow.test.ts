import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseBookConfig } from '../core/book-config.ts';
import { planCiMatrix } from '../core/plan-ci-matrix.ts';
import { toGithubWorkflow } from './to-github-workflow.ts';

const run = promisify(execFile);
const validator = path.resolve(import.meta.dirname, '../../node_modules/.bin/action-validator');

const config = parseBookConfig(
  {
    title: 'Fixture Book',
    chapters: ['docs/local-canary.md', 'docs/canary.md'],
    variants: { dimensions: { cloud: ['gke', 'existing'], flavor: ['static', 'serverless'] }, name: '{cloud}-{flavor}' },
    gists: {
      setup: { 'gke-static': 'gke-jx.sh', 'gke-serverless': 'gke-jx-serverless.sh' },
      urls: { 'gke-jx.sh': 'https://gist.github.com/author/0123abcd', 'gke-jx-serverless.sh': null },
    },
    ci: {
      secrets: { GH_TOKEN: 'BOOK_GH_TOKEN', GOOGLE_CREDENTIALS: 'GCP_KEY' },
      vars: { GH_USER: 'BOOK_GH_USER' },
      setup: { 'existing-static': 'kubectl config use-context ci', 'existing-serverless': '' },
      teardown: { 'gke-static': 'gcloud container clusters delete jx-rocks --quiet' },
      runArgs: ['--step-timeout', '20m'],
    },
  },
  'bookrun.yaml',
);

function generate(): { text: string; workflow: Record<string, any> } {
  const text = toGithubWorkflow(planCiMatrix(config));
  return { text, workflow: parse(text) };
}

describe('toGithubWorkflow', () => {
  it('passes the real workflow validator', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-ci-'));
    const file = path.join(dir, 'bookrun.yml');
    writeFileSync(file, generate().text);
    const { stdout, stderr } = await run(validator, [file]);
    expect(`${stdout}${stderr}`).not.toMatch(/"errors"/);
  });

  it('has one job per chapter × variant, a variant\'s jobs one at a time and never cancelled', () => {
    const { workflow } = generate();
    const runJobs = Object.entries(workflow.jobs).filter(([id]) => id.startsWith('run-'));
    expect(runJobs.map(([id]) => id)).toEqual(['run-gke-static', 'run-gke-serverless', 'run-existing-static', 'run-existing-serverless']);
    for (const [id, job] of runJobs as Array<[string, any]>) {
      expect(job.strategy['fail-fast']).toBe(false);
      expect(job.strategy['max-parallel']).toBe(1);
      expect(job.strategy.matrix.include).toEqual([
        { chapter: 'docs/local-canary.md', slug: 'local-canary' },
        { chapter: 'docs/canary.md', slug: 'canary' },
      ]);
      expect(job.concurrency).toEqual({ group: `bookrun-${id.slice(4)}`, 'cancel-in-progress': false });
    }
    expect(workflow.concurrency['cancel-in-progress']).toBe(false);
  });

  it('runs each chapter with --report and --junit, uploads both and always tears down', () => {
    const job = generate().workflow.jobs['run-gke-static'];
    const names = job.steps.map((s: any) => s.name ?? s.uses ?? s.run);
    expect(names).toEqual([
      'actions/checkout@v4', 'actions/setup-node@v4', 'npm ci',
      'Create or select the gke-static cluster (setup gist gke-jx.sh)',
      'Run the chapter', 'Upload the report', 'Upload the JUnit file', 'Tear down the gke-static cluster',
    ]);
    const runStep = job.steps[4];
    expect(runStep.run).toBe(
      'npx bookrun run "$CHAPTER" --variant gke-static --report "bookrun-out/report/${{ matrix.slug }}/gke-static.json" --junit "bookrun-out/junit/${{ matrix.slug }}/gke-static.xml" --secret GH_TOKEN --secret GOOGLE_CREDENTIALS ${{ inputs.keep-resources && \'--no-teardown\' || \'\' }} --step-timeout 20m',
    );
    expect(runStep.env).toEqual({ CHAPTER: '${{ matrix.chapter }}' });
    expect(job.steps[3].run).toContain('curl -fsSL https://gist.github.com/author/0123abcd/raw/gke-jx.sh');
    for (const s of job.steps.slice(5, 7)) expect(s.if).toBe('always()');
    // The cluster goes after a failure too, unless a manual run keeps it (with the chapter's own teardown, --no-teardown).
    expect(job.steps[7].if).toBe('always() && !inputs.keep-resources');
    expect(job.steps[5].with.path).toBe('bookrun-out/report/${{ matrix.slug }}/gke-static.json');
    expect(job.steps[6].with.path).toBe('bookrun-out/junit/${{ matrix.slug }}/gke-static.xml');
  });

  it('lets a manual run keep the resources for debugging (a keep-resources input: --no-teardown, no cluster teardown)', () => {
    const { workflow } = generate();
    expect(workflow.on.workflow_dispatch.inputs['keep-resources']).toMatchObject({ type: 'boolean', default: false });
  });

  it('uses ci.setup over the gist, skips setup when it is empty, and fails a variant it cannot set up', () => {
    const { workflow, text } = generate();
    expect(workflow.jobs['run-existing-static'].steps[3].run).toBe('kubectl config use-context ci');
    expect(workflow.jobs['run-existing-serverless'].steps.map((s: any) => s.name ?? s.uses ?? s.run)).not.toContain('Create or select the existing-serverless cluster');
    const missing = workflow.jobs['run-gke-serverless'].steps[3];
    expect(missing.run).toMatch(/^echo "::error::setup gist gke-jx-serverless\.sh for variant gke-serverless has no URL yet/);
    expect(missing.run).toMatch(/\nexit 1$/);
    expect(text).toContain('# Warning: setup gist gke-jx-serverless.sh');
  });

  it('takes secrets and placeholder values from the repository, never from the file', () => {
    const { workflow } = generate();
    expect(workflow.jobs['run-gke-static'].env).toEqual({
      GH_TOKEN: '${{ secrets.BOOK_GH_TOKEN }}',
      GOOGLE_CREDENTIALS: '${{ secrets.GCP_KEY }}',
      GH_USER: '${{ vars.BOOK_GH_USER }}',
    });
  });

  it('ends with a job that writes bookrun status of every report as the summary', () => {
    const status = generate().workflow.jobs.status;
    expect(status.needs).toEqual(['run-gke-static', 'run-gke-serverless', 'run-existing-static', 'run-existing-serverless']);
    expect(status.if).toBe('always()');
    expect(status.steps[3]).toMatchObject({ uses: 'actions/download-artifact@v4', with: { pattern: 'bookrun-report-*', path: 'bookrun-reports' } });
    expect(status.steps[4].run).toContain('npx bookrun status --json --reports bookrun-reports');
    expect(status.steps[4].run).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });
});
