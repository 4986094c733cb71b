import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set at pack time (scripts/build-package.ts): a hash of the sources the package was built from. */
declare const __BOOKRUN_BUILD_ID__: string | undefined;

let fromSources: string | undefined;

/**
 * What identifies the parser that made a cached chapter: the package's build id when compiled; from the
 * sources, the name, size and modification time of every file of `src/core`, of the shell parser's
 * adapter and of what prints a cached view (`bookrun plan`'s table), so an edit to the parser never serves a
 * chapter parsed by the old one, nor an edit to the table a table printed by the old one.
 */
export function parserBuildId(): string {
  if (typeof __BOOKRUN_BUILD_ID__ === 'string') return __BOOKRUN_BUILD_ID__;
  if (fromSources) return fromSources;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  const core = path.join(here, '..', 'core');
  const files = [...readdirSync(core).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => path.join(core, f)), path.join(here, 'sh-syntax-parser.ts'), path.join(here, '..', 'cli', 'commands', 'plan.ts'), path.join(here, '..', 'cli', 'format-diagnostic.ts')];
  for (const file of files.sort()) {
    const s = statSync(file);
    hash.update(`${path.basename(file)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  fromSources = `src-${hash.digest('hex').slice(0, 16)}`;
  return fromSources;
}
