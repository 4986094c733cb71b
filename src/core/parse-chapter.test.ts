import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { parseBookConfig, resolveVariant } from './book-config.ts';
import type { Chapter, Plan } from './model.ts';
import { parseChapter } from './parse-chapter.ts';
import { planChapter } from './plan-chapter.ts';

const config = parseBookConfig(
  {
    chapters: [],
    variants: { dimensions: { cloud: ['gke', 'eks', 'aks', 'existing'], flavor: ['static', 'serverless'] }, name: '{cloud}-{flavor}' },
    conditions: { aliases: { tekton: 'serverless' } },
  },
  'bookrun.yaml',
);

const parse = (md: string) => parseChapter(md, { file: 'ch.md', config, shell: shSyntaxParser });
const plan = (chapter: Chapter, name: string): Plan => {
  const v = resolveVariant(config, name);
  if (!v.ok) throw new Error(v.message);
  return planChapter(chapter, v.variant, config);
};
function step(chapter: Plan, line: number): Plan['steps'][number];
function step(chapter: Chapter, line: number): Chapter['steps'][number];
function step(chapter: Chapter | Plan, line: number) {
  const found = (chapter.steps as Array<{ line: number }>).find((s) => s.line === line);
  if (!found) throw new Error(`no step at line ${line}: ${chapter.steps.map((s) => s.line).join(', ')}`);
  return found;
}
const fence = '```';

describe('shell blocks and commands', () => {
  it('takes bash/sh/shell/zsh/console fences and {lang="bash"} attribute lines as shell', async () => {
    const md = ['# T', '', `${fence}sh`, 'ls', fence, '', `${fence}zsh`, 'pwd', fence, '', '{lang="bash"}', fence, 'whoami', fence, '', `${fence}yaml`, 'a: 1', fence].join('\n');
    const ch = await parse(md);
    expect(ch.blocks.map((b) => b.shell)).toEqual([true, true, true, false]);
    expect(ch.steps.map((s) => s.command)).toEqual(['ls', 'pwd', 'whoami']);
    expect(ch.blocks[2]!.attributes?.values.lang).toBe('bash');
  });

  it('keeps continuations, heredocs and multi-line quoted strings (blank lines included) as one command with its first line', async () => {
    const md = [
      '# T', '', `${fence}bash`,
      'kubectl \\', '    --namespace x \\', '    get pods', '',
      'cat <<EOF > f.yaml', 'a: 1', '', '# not a comment', 'EOF', '',
      'echo "first', '', 'Events:', '  Type  Reason', '" | tee out.txt', '',
      'for i in 1 2', 'do', '    echo $i', 'done', fence,
    ].join('\n');
    const ch = await parse(md);
    expect(ch.steps.map((s) => [s.line, s.endLine])).toEqual([[4, 6], [8, 12], [14, 18], [20, 23]]);
    expect(step(ch, 14).command).toBe('echo "first\n\nEvents:\n  Type  Reason\n" | tee out.txt');
    expect(ch.diagnostics.filter((d) => d.rule === 'output-in-shell-block')).toEqual([]);
    expect(ch.notes).toEqual([]);
  });

  it('splits a book-sized chapter into several parses (mvdan/sh in WASM fails past ~400 kB in one call)', async () => {
    const block = [`${fence}bash`, ...Array.from({ length: 40 }, (_, i) => `kubectl --namespace production get pods --selector app=web-${i} --output wide\n`), fence].join('\n');
    const md = ['# Big', '', ...Array.from({ length: 200 }, () => `${block}\n`)].join('\n');
    expect(md.length).toBeGreaterThan(500_000);
    const ch = await parse(md);
    expect(ch.steps).toHaveLength(8000);
    expect(ch.diagnostics.filter((d) => d.rule === 'shell-syntax')).toEqual([]);
  });

  it('treats two statements on one line as one command', async () => {
    const ch = await parse(['# T', '', `${fence}bash`, 'cd x; ls', fence].join('\n'));
    expect(ch.steps).toHaveLength(1);
    expect(ch.steps[0]!.command).toBe('cd x; ls');
  });

  it('reports a syntax error with its line and still plans the block', async () => {
    const ch = await parse(['# T', '', `${fence}bash`, 'echo ok', '', 'if then fi (', fence, '', `${fence}bash`, 'ls', fence].join('\n'));
    const d = ch.diagnostics.find((x) => x.rule === 'shell-syntax');
    expect(d?.line).toBe(6);
    expect(ch.steps.map((s) => s.command)).toContain('ls');
  });

  it('reads $-prompt console blocks: prompts are commands, the rest their output', async () => {
    const ch = await parse(['# T', '', `${fence}console`, '$ kubectl get ns', 'NAME     STATUS', 'default  Active', '$ echo hi', 'hi', fence].join('\n'));
    expect(ch.steps.map((s) => s.command)).toEqual(['kubectl get ns', 'echo hi']);
    expect(ch.steps[0]!.expect?.text).toBe('NAME     STATUS\ndefault  Active');
  });
});

describe('conditions', () => {
  const md = [
    '# T', '', `${fence}bash`,
    '# If not EKS', 'A=1', '',
    '# If EKS', 'B=1', '',
    '# If NOT GKE', 'C=1', '',
    '# If EKS or AKS', 'D=1', '',
    '# Only if serverless', 'E=1', '',
    '# If already cloned', 'F=1', '',
    '# If tekton', 'G=1', '',
    'H=1', fence,
  ].join('\n');

  it('apply to the next command only, matching dimension values case-insensitively', async () => {
    const ch = await parse(md);
    const eks = plan(ch, 'eks-serverless');
    const gke = plan(ch, 'gke-static');
    const inc = (p: Plan) => p.steps.filter((s) => s.included).map((s) => s.command);
    expect(inc(eks)).toEqual(['B=1', 'C=1', 'D=1', 'E=1', 'F=1', 'G=1', 'H=1']);
    expect(inc(gke)).toEqual(['A=1', 'F=1', 'H=1']);
    expect(step(eks, 5).condition).toBe('not eks');
    expect(step(eks, 14).condition).toBe('eks or aks');
    expect(step(eks, 17).condition).toBe('serverless');
    expect(step(eks, 23).condition).toBe('serverless');
  });

  it('report unknown tokens as a diagnostic, and follow the configured policy', async () => {
    const ch = await parse(md);
    const d = ch.diagnostics.filter((x) => x.rule === 'unknown-condition');
    expect(d.map((x) => x.line)).toEqual([19]);
    expect(d[0]!.severity).toBe('warning');
    const strict = parseBookConfig(
      { chapters: [], variants: { dimensions: { cloud: ['gke', 'eks'] } }, conditions: { unknown: { severity: 'error', include: false } } },
      'b.yaml',
    );
    const ch2 = await parseChapter(md, { file: 'ch.md', config: strict, shell: shSyntaxParser });
    expect(ch2.diagnostics.find((x) => x.rule === 'unknown-condition')?.severity).toBe('error');
    const p = planChapter(ch2, { name: 'gke', values: { cloud: 'gke' } }, strict);
    expect(step(p, 20).included).toBe(false);
  });

  it('come from an aside that says the commands that follow run only on some clusters', async () => {
    const ch = await parse(['# T', '', 'W> Run the commands that follow only if you are using **EKS**.', '', `${fence}bash`, 'ls', fence, '', `${fence}bash`, 'pwd', fence].join('\n'));
    expect(step(ch, 6).condition?.text).toBe('eks');
    expect(step(ch, 10).condition).toBeNull();
    expect(ch.asides[0]).toMatchObject({ kind: 'W', line: 3 });
  });

  it('never take an aside heading starting with "If" for a condition', async () => {
    const ch = await parse(['# T', '', "I> # If you're on RHEL", 'I> do this.', '', `${fence}bash`, 'ls', fence].join('\n'));
    expect(ch.steps[0]!.condition).toBeNull();
    expect(ch.asides[0]!.endLine).toBe(4);
  });
});

describe('terminals, watches, retries and waits', () => {
  const md = [
    '# T', '', `${fence}bash`,
    '# Open a second terminal', '',
    '# In a second terminal', 'A=1', '',
    'B=1', '',
    '# Go to the second terminal', 'C=1', '', 'D=1', '',
    '# Go back to the first terminal', 'E=1', '',
    '# NOTE: Go to the second terminal', 'F=1', fence, '',
    `${fence}bash`, 'G=1', fence,
  ].join('\n');

  it('put commands in terminal 2 for one command or until going back or the end of the block', async () => {
    const ch = await parse(md);
    expect(ch.steps.map((s) => `${s.command}:${s.terminal}`)).toEqual(['A=1:2', 'B=1:1', 'C=1:2', 'D=1:2', 'E=1:1', 'F=1:2', 'G=1:1']);
  });

  it('mark watches from flags and from ctrl+c instructions in comments and prose', async () => {
    const ch = await parse([
      '# T', '', `${fence}bash`,
      'kubectl get pods --watch', '',
      'kubectl apply -f x.yaml', '',
      'jx get activities -w', '',
      'kubectl logs app --follow', '',
      'tail -f /var/log/x', '',
      'while true; do date; done', '',
      '# Press *ctrl+c* when you are done', '',
      'minikube tunnel', fence, '',
      'NOTE: Stop with *ctrl+c*', '',
    ].join('\n'));
    expect(ch.steps.map((s) => s.watch)).toEqual([true, false, true, true, true, true, true]);
    expect(ch.steps.map((s) => s.watchReason)).toEqual(['flag', null, 'flag', 'flag', 'flag', 'ctrl-c', 'prose']);
  });

  it('mark retry-while and eventual checks', async () => {
    const ch = await parse([
      '# T', '', `${fence}bash`,
      'curl http://x/demo', '', '# Repeat if `no healthy upstream`', '',
      '# After a few minutes', 'kubectl get canary', fence, '', `${fence}`, 'NAME   STATUS', 'app    Succeeded', fence,
    ].join('\n'));
    expect(step(ch, 4).retryWhile).toBe('no healthy upstream');
    expect(step(ch, 9).eventually).toBe(true);
    expect(step(ch, 9).expect?.line).toBe(12);
  });
});

describe('placeholders', () => {
  it('finds NAME=[...] (with export), not [...] in output, and the sentence that explains it', async () => {
    const ch = await parse([
      '# T', '', 'Please replace `[...]` with your GitHub user.', '', `${fence}bash`,
      'export GH_USER=[...]', '', 'echo $GH_USER', fence, '', fence, '...', 'user: [...]', fence,
    ].join('\n'));
    expect(ch.placeholders).toEqual([{ name: 'GH_USER', line: 6, step: 'L6', description: 'Please replace `[...]` with your GitHub user.' }]);
    expect(step(ch, 8).uses).toEqual(['GH_USER']);
    expect(step(ch, 6).placeholders).toEqual(['GH_USER']);
  });
});

describe('expected output', () => {
  it('is a bare/yaml/json/text fence right after the block, or after an "output is as follows" sentence', async () => {
    const ch = await parse([
      '# T', '', `${fence}bash`, 'a', fence, '', fence, 'out-a', fence, '',
      `${fence}bash`, 'b', fence, '', 'The output is as follows.', '', `${fence}json`, '{"b": 1}', fence, '',
      `${fence}bash`, 'c', fence, '', 'You would get this error in the init container.', '', fence, 'iptables error', fence, '',
      `${fence}bash`, 'd', fence, '', 'The output should be similar to the one that follows.', '', '{lang="text"}', fence, 'out-d', fence,
    ].join('\n'));
    expect(step(ch, 4).expect).toMatchObject({ line: 7, text: 'out-a', source: 'fence' });
    expect(step(ch, 12).expect).toMatchObject({ line: 17, lang: 'json' });
    expect(step(ch, 22).expect).toBeNull();
    expect(step(ch, 32).expect).toMatchObject({ line: 38, text: 'out-d' });
    expect(ch.blocks.find((b) => b.line === 27)!.outputOf).toBeNull();
  });

  it('recognises output pasted inside a shell block, never as commands, with a diagnostic', async () => {
    const ch = await parse([
      '# T', '', `${fence}bash`, 'kubectl describe canary app', '',
      'Events:', '  Type     Reason  Age                From     Message', '  ----     ------  ----               ----     -------',
      "  Warning  Synced  12m (x5 over 16m)  flagger  Halt advancement, can't find it", '',
      'kubectl get pods', '', 'NAME    READY   STATUS', 'app-1   1/1     Running', fence,
    ].join('\n'));
    expect(ch.steps.map((s) => s.command)).toEqual(['kubectl describe canary app', 'kubectl get pods']);
    expect(step(ch, 4).expect).toMatchObject({ line: 6, source: 'pasted' });
    expect(step(ch, 11).expect?.text).toBe('NAME    READY   STATUS\napp-1   1/1     Running');
    expect(ch.diagnostics.filter((d) => d.rule === 'output-in-shell-block').map((d) => d.line)).toEqual([6, 13]);
  });
});

describe('author notes, checklist and asides', () => {
  it('finds TODO/NOTE prose, # TODO comments, TODO links and the ## TODO checklist', async () => {
    const ch = await parse([
      '## TODO', '', '- [ ] Code', '- [x] Write', '', '# Title', '', 'TODO: Continue with text', '',
      'Some text. See [setup.sh](TODO:) and [TODO: Viktor](TODO: Viktor).', '', 'NOTE: Istio is heavy', '',
      `${fence}bash`, '# TODO: do we need this?', 'ls', '# bookrun: timeout=5s', fence,
    ].join('\n'));
    expect(ch.title).toBe('Title');
    expect(ch.checklist).toEqual([{ text: 'Code', checked: false, line: 3 }, { text: 'Write', checked: true, line: 4 }]);
    expect(ch.notes.map((n) => `${n.line}:${n.kind}:${n.where}`)).toEqual(['8:todo:prose', '10:todo:link', '10:todo:link', '12:note:prose', '15:todo:comment']);
    expect(ch.hidden.map((h) => `${h.line}-${h.endLine}:${h.kind}`)).toEqual(['1-4:checklist', '8-8:note', '12-12:note', '15-15:note', '17-17:annotation']);
    expect(ch.steps[0]!.annotations).toEqual({ timeoutMs: 5000 });
  });

  it('reads annotations and reports bad ones', async () => {
    const ch = await parse(['# T', '', `${fence}bash`, '# bookrun: until=/rolled out/ capture=VERSION:/v(\\d+)/ skip="needs a browser" exit=1 bogus', 'kubectl rollout status deploy/x', fence].join('\n'));
    expect(ch.steps[0]!.annotations).toEqual({ until: 'rolled out', capture: { VERSION: 'v(\\d+)' }, skip: true, skipReason: 'needs a browser', exitCode: 1 });
    expect(ch.steps[0]!.watch).toBe(true);
    expect(ch.diagnostics.find((d) => d.rule === 'bad-annotation')?.message).toMatch(/unknown annotation "bogus"/);
  });

  it('reports a fence left open', async () => {
    const ch = await parse(['# T', '', `${fence}bash`, 'ls', '', 'more text'].join('\n'));
    expect(ch.diagnostics.find((d) => d.rule === 'fence-open')?.line).toBe(3);
    expect(ch.blocks[0]!.open).toBe(true);
  });

  it('skips YAML front matter, keeping the file\'s line numbers', async () => {
    const ch = await parse(['---', 'title: Not The Title', 'description: see [x](TODO:)', '---', '# Real Title', '', `${fence}bash`, 'ls', fence].join('\n'));
    expect(ch.title).toBe('Real Title');
    expect(ch.titleLine).toBe(5);
    expect(ch.steps.map((s) => s.line)).toEqual([8]);
    expect(ch.notes).toEqual([]);
  });

  it('reads heading ids on the heading and on the line above', async () => {
    const ch = await parse(['# Title {#intro}', '', '{#second}', '## Second', '', '## Third'].join('\n'));
    expect(ch.headings.map((h) => [h.text, h.id])).toEqual([['Title', 'intro'], ['Second', 'second'], ['Third', null]]);
  });
});

describe('the example cluster chapter (docs/canary-deployments.md)', () => {
  const file = path.join(import.meta.dirname, '../../docs/canary-deployments.md');
  it('plans each variant as the author meant', async () => {
    const ch = await parse(readFileSync(file, 'utf8'));
    const eks = plan(ch, 'eks-serverless');
    const gke = plan(ch, 'gke-static');
    const istio = eks.steps.filter((s) => /ISTIO_(IP|HOST)=/.test(s.command.split('\n')[0]!) && s.terminal === 1);
    expect(istio.map((s) => [s.condition, s.included])).toEqual([['not eks', false], ['eks', true], ['eks', true]]);
    expect(gke.steps.filter((s) => s.condition === 'eks').every((s) => !s.included)).toBe(true);
    expect(eks.steps.filter((s) => s.watch).length).toBeGreaterThanOrEqual(3);
    expect(eks.placeholders.map((p) => p.name)).toEqual(['VERSION', 'GH_USER']);
    expect(eks.steps.find((s) => s.retryWhile)?.retryWhile).toBe('no healthy upstream');
    expect(eks.steps.filter((s) => s.terminal === 2)).toHaveLength(3);
    expect(eks.steps.filter((s) => s.eventually)).toHaveLength(2);
    expect(eks.checklist).toHaveLength(18);
  });
});
