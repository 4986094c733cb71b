import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '../../..');
const bookrun = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/bookrun.mjs'), ...args], { cwd: root, encoding: 'utf8' });

describe('bookrun plan', () => {
  it('prints the JSON contract for a variant', () => {
    const out = execFileSync(process.execPath, [path.join(root, 'bin/bookrun.mjs'), 'plan', 'docs/canary-deployments.md', '--variant', 'eks-serverless', '--json'], { cwd: root, encoding: 'utf8' });
    const plan = JSON.parse(out);
    expect(plan.version).toBe(1);
    expect(plan.chapter).toEqual({ title: 'Canary Deployments With Flagger', file: 'docs/canary-deployments.md' });
    expect(plan.variant).toEqual({ name: 'eks-serverless', values: { cloud: 'eks', flavor: 'serverless' } });
    const notEks = plan.steps.find((s: { condition: string | null }) => s.condition === 'not eks');
    expect(notEks).toMatchObject({ included: false, terminal: 1, watch: false, retryWhile: null, eventually: false, placeholders: [], expect: null });
    expect(typeof notEks.id).toBe('string');
    expect(notEks.command.split('\n')[0]).toBe('ISTIO_IP=$(kubectl \\');
    expect(plan.placeholders[0]).toMatchObject({ name: 'VERSION', line: 181 });
    expect(plan.notes.length).toBeGreaterThan(0);
    expect(plan.checklist[0]).toMatchObject({ text: 'Code', checked: true });
    expect(plan.diagnostics.some((d: { rule: string }) => d.rule === 'output-in-shell-block')).toBe(true);
  });

  it('accepts dim=value variants and prints a table with excluded steps marked', () => {
    const r = bookrun('plan', 'docs/canary-deployments.md', '--variant', 'cloud=gke,flavor=static');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/variant gke-static/);
    expect(r.stdout).toMatch(/if eks .*ISTIO_HOST=\$\(kubectl .*\[excluded\]/);
    expect(r.stdout).toMatch(/docs\/canary-deployments\.md:\d+:1 warning .*\[unknown-condition\]/);
  });

  it('marks watch ends and teardown steps in the table, and gives a mark wider than its column a line of its own', () => {
    const waiting = bookrun('plan', 'src/run/fixtures/waiting.md');
    expect(waiting.status).toBe(0);
    const lines = waiting.stdout.split('\n');
    const command = lines.find((l) => l.startsWith(' LINE'))!.indexOf('COMMAND');
    expect(lines).toContain(`   11  1  ${'watch until /app is ready/'.padEnd(command - 10)}tail -f app.log`);
    const long = lines.findIndex((l) => l.startsWith('   29  1  retry-while "no healthy upstream" expect@36'));
    expect(long).toBeGreaterThan(0);
    expect(lines[long + 1]!.indexOf('echo $((')).toBe(command);
    const teardown = bookrun('plan', 'src/run/fixtures/teardown.md');
    expect(teardown.stdout).toMatch(/^ {3}26 {2}1 {2}teardown {2}rm resource\.txt$/m);
    expect(teardown.stdout).toMatch(/^ {4}8 {2}1 {12}echo "created" >resource\.txt$/m);
  });

  it('exits 2 on an unknown variant or a missing file, listing the known variants', () => {
    const bad = bookrun('plan', 'docs/canary-deployments.md', '--variant', 'gke-fargate');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown variant "gke-fargate"; known variants: gke-static, gke-serverless/);
    const typo = bookrun('plan', 'docs/canary-deployments.md', '--variant', 'gke-statc');
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('unknown variant "gke-statc": did you mean gke-static? (known variants: gke-static, gke-serverless');
    const missing = bookrun('plan', 'docs/nope.md');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/docs\/nope\.md: no such chapter file[\s\S]*known variants: gke-static/);
    const usage = bookrun('plan', '--frobnicate');
    expect(usage.status).toBe(2);
  });
});
