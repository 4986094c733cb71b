import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { getProcessor, type File, type Stmt } from 'sh-syntax';
import type { ShellParser, ShellParseResult, ShellStatement } from '../core/shell-parser.ts';
import { setV8Flags } from './set-v8-flags.ts';

const require = createRequire(import.meta.url);

type Processor = ReturnType<typeof getProcessor>;
let processorPromise: Promise<Processor> | undefined;

/**
 * sh-syntax compiles its WASM on every call; compile it once and instantiate per call (a fresh TinyGo
 * runtime each time: one instance used again crashes in its garbage collector), on Liftoff alone (see
 * {@link setV8Flags}).
 */
function loadProcessor(): Promise<Processor> {
  setV8Flags();
  processorPromise ??= readFile(require.resolve('sh-syntax/main.wasm'))
    .then((bytes) => WebAssembly.compile(bytes))
    .then((module) => getProcessor((importObject: WebAssembly.Imports) => WebAssembly.instantiate(module, importObject)));
  return processorPromise;
}

function statementOf(stmt: Stmt): ShellStatement {
  let endLine = stmt.End.Line;
  for (const redirect of stmt.Redirs ?? []) {
    const hdoc = (redirect as { Hdoc?: { End: { Line: number } } | null }).Hdoc;
    if (hdoc && hdoc.End.Line > endLine) endLine = hdoc.End.Line;
  }
  return { line: stmt.Pos.Line, column: stmt.Pos.Col, endLine };
}

/** The bash parser of mvdan/sh (via sh-syntax), behind the core's {@link ShellParser} interface. */
export const shSyntaxParser: ShellParser = {
  async parse(text: string): Promise<ShellParseResult> {
    const processor = await loadProcessor();
    try {
      const file = (await processor(text, { keepComments: false })) as File;
      return { ok: true, statements: file.Stmts.map(statementOf) };
    } catch (error) {
      const e = error as { Pos?: { Line: number; Col: number }; Text?: string; message?: string };
      return { ok: false, line: e.Pos?.Line ?? 1, column: e.Pos?.Col ?? 1, message: e.Text ?? e.message ?? String(error) };
    }
  },
};
