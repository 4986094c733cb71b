import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_NAME } from '../book/open-output-folder.ts';
import { InputError } from '../core/input-error.ts';
import { parseRunReport } from '../core/parse-run-report.ts';
import type { ReportFile } from '../core/status-model.ts';

/** A report file that is not a run report: the message names the file and what to do. */
export class ReportError extends InputError {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}: delete it or move it out of the reports folder`);
  }
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    // The manifest is bookrun's list of the files it wrote in a folder, not a report.
    else if (entry.isFile() && entry.name.endsWith('.json') && entry.name !== MANIFEST_NAME) out.push(full);
  }
}

/**
 * Reads every run report (`*.json`) under `dir`, at any depth: the reports folder `bookrun run` saves to,
 * or CI artifacts unpacked into one folder. Other files (JUnit XML, the folders' `.bookrun-manifest.json`)
 * are ignored; a JSON file that is not a
 * run report throws {@link ReportError}. A missing folder is no reports, unless `required`.
 * Paths in the result are relative to `cwd`.
 */
export async function readReports(dir: string, options: { cwd?: string; required?: boolean } = {}): Promise<ReportFile[]> {
  const cwd = options.cwd ?? process.cwd();
  const files: string[] = [];
  try {
    await walk(dir, files);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !options.required) return [];
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ReportError(path.relative(cwd, dir) || dir, 'no such folder (pass the folder the run reports were saved or unpacked to)');
    }
    throw error;
  }
  files.sort();
  return Promise.all(
    files.map(async (file) => {
      const shown = path.relative(cwd, file) || file;
      let data: unknown;
      try {
        data = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new ReportError(shown, `not valid JSON (${(error as Error).message})`);
      }
      const result = parseRunReport(data);
      if (!result.ok) throw new ReportError(shown, result.message);
      return { path: shown.split(path.sep).join('/'), report: result.report };
    }),
  );
}
