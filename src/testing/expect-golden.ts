import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/**
 * Golden-file assertion for fixture tests: compares `actual` with the file at `file`; `UPDATE=1`
 * (re)writes it. A missing golden file fails, naming the command that creates it.
 */
export function expectGolden(actual: string, file: string): void {
  if (process.env.UPDATE === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  if (!existsSync(file)) throw new Error(`${file}: no golden file yet: run UPDATE=1 npx vitest run ${path.dirname(file)}/.. and review it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
