import { stringify } from 'yaml';
import type { CiMatrix, CiVariant } from '../core/plan-ci-matrix.ts';

/** Options of {@link toGithubWorkflow}. */
export interface GithubWorkflowOptions {
  /** The command line that generated the file, for its header. */
  command?: string;
  /** Node.js major version for `actions/setup-node`. */
  nodeVersion?: string;
  /** Branches whose pushes (touching a chapter or the book config) run the workflow. */
  branches?: string[];
}

/** Where a job writes its report and JUnit file (relative to the checkout). */
export function githubReportPaths(slug: string, variant: string): { report: string; junit: string } {
  return { report: `bookrun-out/report/${slug}/${variant}.json`, junit: `bookrun-out/junit/${slug}/${variant}.xml` };
}

function setupStep(v: CiVariant): Record<string, unknown> | null {
  switch (v.setup.kind) {
    case 'none':
      return null;
    case 'missing':
      // A job that cannot get its cluster fails loudly rather than running the chapter half set up.
      return {
        name: `Create or select the ${v.name} cluster`,
        run: `echo "::error::${v.setup.message.replace(/"/g, '\\"')}"\nexit 1`,
      };
    case 'command':
      return { name: `Create or select the ${v.name} cluster (${v.setup.source})`, run: v.setup.command };
  }
}

function runJob(matrix: CiMatrix, v: CiVariant, nodeVersion: string): Record<string, unknown> {
  const paths = githubReportPaths('${{ matrix.slug }}', v.name);
  const env: Record<string, string> = {};
  for (const e of matrix.env) env[e.name] = `\${{ ${e.from === 'secret' ? 'secrets' : 'vars'}.${e.key} }}`;
  // Secrets by name (`--secret NAME` takes the value from the environment, never from the command line): a job
  // whose secret is not set stops before anything runs, and every output masks them.
  const secrets = matrix.env.filter((e) => e.from === 'secret').map((e) => `--secret ${e.name}`);
  const run = [
    'npx bookrun run "$CHAPTER"',
    `--variant ${v.name}`,
    `--report "${paths.report}"`,
    `--junit "${paths.junit}"`,
    ...secrets,
    // The chapter's teardown (its "What Now?" section) always runs, after a failure too, unless a manual run keeps what it made.
    "${{ inputs.keep-resources && '--no-teardown' || '' }}",
    ...matrix.runArgs,
  ];
  const setup = setupStep(v);
  return {
    name: `${v.name}: \${{ matrix.chapter }}`,
    'runs-on': 'ubuntu-latest',
    // One job of a variant at a time, across workflow runs too: they share the variant's cluster.
    concurrency: { group: `bookrun-${v.id}`, 'cancel-in-progress': false },
    strategy: {
      'fail-fast': false,
      // Jobs waiting for max-parallel are not "pending" in the concurrency group, so none is cancelled.
      'max-parallel': 1,
      matrix: { include: v.chapters.map((c) => ({ chapter: c.file, slug: c.slug })) },
    },
    ...(Object.keys(env).length > 0 ? { env } : {}),
    steps: [
      { uses: 'actions/checkout@v4' },
      { uses: 'actions/setup-node@v4', with: { 'node-version': nodeVersion, cache: 'npm' } },
      { run: 'npm ci' },
      ...(setup ? [setup] : []),
      { name: 'Run the chapter', env: { CHAPTER: '${{ matrix.chapter }}' }, run: run.join(' ') },
      {
        name: 'Upload the report',
        if: 'always()',
        uses: 'actions/upload-artifact@v4',
        with: { name: `bookrun-report-\${{ matrix.slug }}-${v.id}`, path: paths.report, 'if-no-files-found': 'warn' },
      },
      {
        name: 'Upload the JUnit file',
        if: 'always()',
        uses: 'actions/upload-artifact@v4',
        with: { name: `bookrun-junit-\${{ matrix.slug }}-${v.id}`, path: paths.junit, 'if-no-files-found': 'warn' },
      },
      ...(v.teardown ? [{ name: `Tear down the ${v.name} cluster`, if: 'always() && !inputs.keep-resources', run: v.teardown }] : []),
    ],
  };
}

/**
 * The GitHub Actions workflow for the book's chapters × variants matrix: one job per chapter and variant
 * (`fail-fast: false`), a variant's jobs one at a time (a concurrency group per variant, `max-parallel: 1`)
 * so they never share a cluster, each job setting up its cluster, running `bookrun run` with `--report`,
 * `--junit` and `--secret NAME` for each of `ci.secrets` (the chapter's teardown section runs after a failure
 * too), uploading both and always tearing down, unless a manual run asks to keep the resources (`--no-teardown`,
 * no cluster teardown); a final job downloads every report and writes
 * `bookrun status` into the job summary. Secrets and placeholder values come from `${{ secrets.* }}` /
 * `${{ vars.* }}`, never from the file.
 */
export function toGithubWorkflow(matrix: CiMatrix, options: GithubWorkflowOptions = {}): string {
  const nodeVersion = options.nodeVersion ?? '20';
  const jobs: Record<string, unknown> = {};
  for (const v of matrix.variants) jobs[`run-${v.id}`] = runJob(matrix, v, nodeVersion);
  jobs.status = {
    name: 'Book status',
    needs: matrix.variants.map((v) => `run-${v.id}`),
    if: 'always()',
    'runs-on': 'ubuntu-latest',
    steps: [
      { uses: 'actions/checkout@v4' },
      { uses: 'actions/setup-node@v4', with: { 'node-version': nodeVersion, cache: 'npm' } },
      { run: 'npm ci' },
      { name: 'Download every report', uses: 'actions/download-artifact@v4', with: { pattern: 'bookrun-report-*', path: 'bookrun-reports' } },
      {
        name: 'Write the book status as the job summary',
        run: [
          '# No report at all (every job failed before its run) still gets a status: every item not run.',
          'mkdir -p bookrun-reports',
          '{',
          "  echo '## Book status'",
          "  echo '```text'",
          '  npx bookrun status --reports bookrun-reports',
          "  echo '```'",
          "  echo '<details><summary>bookrun status --json</summary>'",
          '  echo',
          "  echo '```json'",
          '  npx bookrun status --json --reports bookrun-reports',
          "  echo '```'",
          "  echo '</details>'",
          '} >> "$GITHUB_STEP_SUMMARY"',
        ].join('\n'),
      },
    ],
  };
  const workflow = {
    name: 'bookrun',
    on: {
      workflow_dispatch: {
        inputs: {
          'keep-resources': {
            description: 'Keep what the chapters create, for debugging: bookrun run --no-teardown, and no cluster teardown',
            type: 'boolean',
            default: false,
          },
        },
      },
      push: {
        branches: options.branches ?? ['main'],
        paths: [...matrix.variants[0]!.chapters.map((c) => c.file), matrix.config],
      },
    },
    // One run of the matrix at a time: a newer push waits (and replaces an older waiting one).
    concurrency: { group: 'bookrun', 'cancel-in-progress': false },
    permissions: { contents: 'read' },
    jobs,
  };
  const header = [
    `# Generated by \`${options.command ?? 'bookrun ci github'}\` from ${matrix.config} (${matrix.title}).`,
    '# Edit the book config and generate it again rather than editing this file.',
    ...matrix.warnings.map((w) => `# Warning: ${w}`),
  ];
  return `${header.join("\n")}\n${stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
