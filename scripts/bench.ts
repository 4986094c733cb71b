/**
 * `npm run bench`: every benchmark in scripts/bench/*.bench.ts, one after another. Each prints ratios
 * against a baseline measured in the same process (never absolute goals on wall-clock time in tests).
 * `npm run bench -- plan` runs only the benchmarks whose file name contains "plan".
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench');
const filter = process.argv[2] ?? '';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
for (const file of files) {
  console.log(`\n== ${file.replace('.bench.ts', '')} ==`);
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: () => Promise<void> };
  if (typeof mod.default === 'function') await mod.default();
}
