import { describe, expect, it } from 'vitest';
import { loadMermaidParser, type MermaidCheck } from './load-mermaid-parser.ts';

const check = async (code: string): Promise<MermaidCheck> => (await loadMermaidParser())(code);
const BAD_FLOW = 'flowchart LR\n  A[Start] --> B\n  B --> --> C';

describe('loadMermaidParser: mermaid\'s own parser in Node, no browser', () => {
  it('accepts the diagrams DevOps chapters draw, labels included (the DOMPurify trap)', async () => {
    expect(await check('flowchart LR\n  A[Canary 10%] --> B{Metrics OK?}\n  B -->|Yes| C[Promote]')).toEqual({ kind: 'ok', type: 'flowchart-v2' });
    expect(await check('sequenceDiagram\n  Flagger->>Istio: shift 10%\n  Istio-->>Flagger: done')).toMatchObject({ kind: 'ok', type: 'sequence' });
    expect(await check('stateDiagram-v2\n  [*] --> Progressing\n  Progressing --> Succeeded')).toMatchObject({ kind: 'ok' });
    expect(await check('classDiagram\n  class Canary {\n    +analysis\n  }')).toMatchObject({ kind: 'ok', type: 'classDiagram' });
    expect(await check('pie title Traffic\n  "primary" : 90\n  "canary" : 10')).toMatchObject({ kind: 'ok', type: 'pie' });
  });

  it('names the line of the error in the diagram as written, with mermaid\'s message', async () => {
    const result = await check(BAD_FLOW);
    expect(result).toMatchObject({ kind: 'error', line: 3 });
    if (result.kind !== 'error') throw new Error('unreachable');
    expect(result.message).toMatch(/^Parse error: expecting 'AMP', .* got 'LINK'$/);
    expect(result.message).not.toMatch(/on line/);
  });

  it('counts the lines mermaid cuts before parsing: front matter, init directives, comments, leading blank lines', async () => {
    expect(await check(`---\ntitle: Rollout\n---\n${BAD_FLOW}`)).toMatchObject({ kind: 'error', line: 6 });
    expect(await check(`%%{init: {"theme": "dark"}}%%\n${BAD_FLOW}`)).toMatchObject({ kind: 'error', line: 4 });
    expect(await check(`%% the rollout\n\n${BAD_FLOW.replace('\n', '\n  %% a comment inside\n')}`)).toMatchObject({ kind: 'error', line: 6 });
    expect(await check(`\n\n${BAD_FLOW}`)).toMatchObject({ kind: 'error', line: 5 });
    expect(await check('sequenceDiagram\n  %% who talks\n  Alice->>Bob: Hi\n  Alice->>: x')).toMatchObject({ kind: 'error', line: 4 });
  });

  it('maps the newer (langium) grammars too, and errors that name no line', async () => {
    expect(await check('---\ntitle: x\n---\npie title Pets\n  "Dogs" : 386\n  "Cats" -> 85')).toMatchObject({ kind: 'error', line: 6 });
    const unknown = await check('flowchar LR\n  A --> B');
    expect(unknown).toMatchObject({ kind: 'error', line: null });
    expect(unknown.kind === 'error' && unknown.message).toMatch(/no diagram type detected in "flowchar LR"/);
    expect(await check('gitGraph\n  commit\n  checkout nope')).toMatchObject({ kind: 'error', message: expect.stringMatching(/checkout branch which is not yet created/) });
  });
});
