import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = import.meta.dirname;
/** Libraries src/core may use: pure data transformations, no I/O, no DOM, no processes. */
const ALLOWED = new Set(['unified', 'remark-parse', 'mdast-util-to-string', 'mdast', 'unist', 'yaml', 'diff']);

describe('src/core stays pure', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  it.each(files)('%s imports only core files and pure libraries', (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const imports = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
    const bad = imports.filter((spec) => {
      if (spec.startsWith('./')) return spec.includes('/', 2);
      if (spec.startsWith('.')) return true;
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      return !ALLOWED.has(pkg);
    });
    expect(bad).toEqual([]);
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bprocess\.|\brequire\(|\bdocument\.|\bwindow\./);
  });
});
