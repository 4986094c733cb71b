#!/usr/bin/env node
// bookrun's command. Installed from the package, it runs the compiled JavaScript built at pack time
// (dist/, see scripts/build-package.ts). In the repository, where the TypeScript sources are, it runs them
// through tsx: no build step between `npm install` and `npx bookrun`.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/bin.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/bookrun.js');
}
