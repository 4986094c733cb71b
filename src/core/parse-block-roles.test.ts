import { describe, expect, it } from 'vitest';
import { parseForTest, phaseInput, testConfig } from '../testing/parse-for-test.ts';
import { parseBlockRoles } from './parse-block-roles.ts';
import { scanShellBlocks } from './parse-commands.ts';

const fence = '```';

function roles(lines: string[], config = testConfig) {
  const { ctx, flat, blocks, nodeOf } = phaseInput(lines, config);
  const regions = scanShellBlocks(ctx, blocks);
  const found = parseBlockRoles(ctx, flat, blocks, nodeOf, regions);
  const line = (index: number) => blocks[index]!.line;
  return {
    outputs: [...found.outputFor].map(([s, o]) => [line(s), line(o)]),
    files: [...found.fileFor].map(([s, f]) => [line(s), line(f.block), f.file]),
    leading: [...found.leadingOutputOf].map(([b, s]) => [line(b), line(s)]),
    shell: blocks.map((b) => b.shell),
    regions: [...regions].map(([b, r]) => [line(b), r]),
  };
}

describe('parseBlockRoles: what the blocks around the commands are', () => {
  it('a bare/text/yaml/json fence right after a shell block, or after an output sentence, is its output; other fences are content', () => {
    const r = roles([
      `${fence}bash`, 'a', fence, '', fence, 'out-a', fence, '',
      `${fence}bash`, 'b', fence, '', 'The output is as follows.', '', `${fence}json`, '{}', fence, '',
      `${fence}bash`, 'c', fence, '', 'You would get this error.', '', fence, 'x', fence, '',
      `${fence}bash`, 'd', fence, '', `${fence}dockerfile`, 'FROM node', fence,
    ]);
    expect(r.outputs).toEqual([[1, 5], [9, 15]]);
  });

  it('reads output sentences in Portuguese, Spanish and German, and the ones a book configures', () => {
    const chapter = (sentence: string) => [`${fence}bash`, 'ls', fence, '', sentence, '', fence, 'a.txt', fence];
    for (const sentence of ['A saída é a seguinte.', 'La salida es la siguiente.', 'Die Ausgabe ist wie folgt.', 'Die Ausgabe sollte in etwa so aussehen.', 'La salida debería ser similar a la siguiente:', 'Results:']) {
      expect(roles(chapter(sentence)).outputs, sentence).toEqual([[1, 7]]);
    }
    expect(roles(chapter('Voici le résultat.')).outputs).toEqual([]);
    const french = { ...testConfig, outputSentences: ['^voici le résultat'] };
    expect(roles(chapter('Voici le résultat.'), french).outputs).toEqual([[1, 7]]);
    expect(roles(chapter('The output is as follows.'), french).outputs).toEqual([]);
  });

  it('a bash fence right after a command holds its output when it reads as output: a table, YAML, a sentence no command starts with', () => {
    const r = roles([
      `${fence}bash`, 'kubectl get pods', fence, '', `${fence}bash`, 'NAME   READY', 'web    1/1', fence, '',
      `${fence}bash`, 'kubectl get svc -o yaml', fence, '', `${fence}bash`, 'apiVersion: v1', 'kind: Service', fence, '',
      `${fence}bash`, 'curl localhost', fence, '', `${fence}bash`, 'hello, world!', '', 'curl localhost/x', fence, '',
      `${fence}bash`, 'ls', fence, '', `${fence}bash`, 'pwd', fence,
    ]);
    expect(r.outputs).toEqual([[1, 5], [10, 14]]);
    expect(r.leading).toEqual([[23, 19]]);
    expect(r.regions.find(([line]) => line === 23)?.[1]).toEqual([{ start: 0, end: 0 }]);
    expect(r.shell).toEqual([true, false, true, false, true, true, true, true]);
  });

  it('the block after an editor command is the file it writes, whatever its tag; a command block after it stays commands', () => {
    const r = roles([
      `${fence}bash`, 'vim secret.yml', fence, '', 'Add the following content.', '', `${fence}yaml`, 'kind: Secret', fence, '',
      `${fence}bash`, 'nano app.yaml', fence, '', `${fence}bash`, 'apiVersion: v1', fence, '',
      `${fence}bash`, 'vi run.sh', fence, '', `${fence}bash`, 'echo hi', fence, '',
      `${fence}bash`, 'vim values.yaml', fence, '', 'Change the replicas and save.', '', `${fence}bash`, 'kubectl apply -f values.yaml', fence,
    ]);
    expect(r.files).toEqual([[1, 7], [11, 15], [19, 23]].map(([s, b]) => [s, b, ['secret.yml', 'app.yaml', 'run.sh'][[1, 11, 19].indexOf(s!)]]));
    expect(r.shell).toEqual([true, false, true, false, true, false, true, true]);
    expect(r.outputs).toEqual([]);
  });

  it('takes Innovation Engine and txm outputs where the comments put them', () => {
    const r = roles([
      '<!-- !test program bash -->', '<!-- !test out t -->', fence, 'hi', fence, '', '<!-- !test in t -->', fence, 'echo hi', fence, '',
      `${fence}bash`, 'az group show', fence, '', 'Results:', '', '<!-- expected_similarity=0.3 -->', `${fence}json`, '{}', fence,
    ]);
    expect(r.outputs).toEqual([[8, 3], [12, 19]]);
  });

  it('in a whole chapter: the editor gets the file and no expected output; the output fence after a command gets it', async () => {
    const chapter = await parseForTest(['# T', '', `${fence}bash`, 'vim a.yaml', fence, '', fence, 'a: 1', fence, '', `${fence}bash`, 'cat a.yaml', fence, '', fence, 'a: 1', fence]);
    expect(chapter.steps.map((s) => [s.command, s.edit?.file ?? null, s.expect?.line ?? null])).toEqual([['vim a.yaml', 'a.yaml', null], ['cat a.yaml', null, 15]]);
  });
});
