/**
 * Values are data: a placeholder value that would act as keys in the terminal (end a paste, erase the line,
 * submit it) is refused before anything runs, wherever it comes from. Each test is the attack itself, typed
 * into real shells in real pseudo-terminals if bookrun let it through.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { VALUE_RULE } from '../../core/check-value.ts';
import { runBookrun } from '../../testing/run-bookrun.ts';
import { copyFixture } from '../../testing/copy-fixture.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../run/fixtures');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fixtureBook(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-values-'));
  dirs.push(dir);
  copyFixture(fixtures, dir);
  return dir;
}

/** ctrl+u erases what was typed, then the rest is a command of its own. */
const ERASE_AND_TYPE = '\x15touch pwned #';
/** Ends a bracketed paste first (what the browser terminal uses), then the same. */
const END_PASTE_ERASE_AND_TYPE = '\u001b[201~\u0015touch pwned #';

describe('bookrun run refuses a value that would act as keys, before anything runs', () => {
  it("--set TEAM=$'\\x15touch pwned #' exits 2 naming --set TEAM and the rule; no pwned file", async () => {
    const dir = fixtureBook();
    const result = await runBookrun(['run', 'reader-value.md', '--variant', 'gke-static', '--set', `TEAM=${ERASE_AND_TYPE}`], dir);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('--set TEAM');
    expect(result.stderr).toContain('ctrl+u (U+0015)');
    expect(result.stderr).toContain(VALUE_RULE);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    expect(existsSync(path.join(dir, 'team.txt'))).toBe(false);
    expect(existsSync(path.join(dir, '.bookrun'))).toBe(false);
  });

  it('a --values file holding ESC[201~ ctrl+u exits 2 naming values.yaml:LINE TEAM, in a per-variant section too', async () => {
    const dir = fixtureBook();
    writeFileSync(path.join(dir, 'values.yaml'), `# values for the fixture book\nOTHER: fine\nTEAM: ${JSON.stringify(END_PASTE_ERASE_AND_TYPE)}\n`);
    const top = await runBookrun(['run', 'reader-value.md', '--variant', 'gke-static', '--values', 'values.yaml'], dir);
    expect(top.code, top.stdout + top.stderr).toBe(2);
    expect(top.stderr).toContain('values.yaml:3 TEAM');
    expect(top.stderr).toContain('ESC (U+001B)');
    expect(top.stderr).toContain(VALUE_RULE);
    writeFileSync(path.join(dir, 'values.yaml'), `TEAM: platform\nvariants:\n  gke-static:\n    TEAM: ${JSON.stringify(END_PASTE_ERASE_AND_TYPE)}\n`);
    const section = await runBookrun(['run', 'reader-value.md', '--variant', 'gke-static', '--values', 'values.yaml'], dir);
    expect(section.code, section.stdout + section.stderr).toBe(2);
    expect(section.stderr).toContain('values.yaml:4 variants.gke-static.TEAM');
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    expect(existsSync(path.join(dir, 'team.txt'))).toBe(false);
  });

  it('an environment variable holding ESC[201~ ctrl+u exits 2 naming environment variable TEAM', async () => {
    const dir = fixtureBook();
    const result = await runBookrun(['run', 'reader-value.md', '--variant', 'gke-static'], dir, { env: { TEAM: END_PASTE_ERASE_AND_TYPE } });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('environment variable TEAM');
    expect(result.stderr).toContain(VALUE_RULE);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    expect(existsSync(path.join(dir, 'team.txt'))).toBe(false);
  });

  it('a good value still runs (the refusal is the rule, not a blanket one)', async () => {
    const dir = fixtureBook();
    const result = await runBookrun(['run', 'reader-value.md', '--variant', 'gke-static', '--set', "TEAM=platform\tops 'blue' $(id)", '--no-save-report'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'team.txt'), 'utf8')).toBe("deploying for platform\tops 'blue' $(id)\n");
  });
});

describe('bookrun run: a captured value that would act as keys', () => {
  it('fails the capturing step with the reason; the step needing it is never typed', async () => {
    const dir = fixtureBook();
    const result = await runBookrun(['run', 'captured-value.md', '--variant', 'gke-static', '--keep-going', '--report', 'r.json', '--no-save-report'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const report = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')) as { steps: Array<{ line: number; status: string; reason: string | null; attempts: number }>; placeholders: Record<string, string> };
    const capture = report.steps.find((s) => s.line === 7)!;
    expect(capture.status).toBe('failed');
    expect(capture.reason).toContain('capture RELEASE: the captured value holds newline (U+000A)');
    expect(capture.reason).toContain(VALUE_RULE);
    const needing = report.steps.find((s) => s.line === 13)!;
    expect(needing).toMatchObject({ status: 'failed', attempts: 0 });
    expect(needing.reason).toContain('not run: no value for RELEASE=[...]');
    expect(report.placeholders).not.toHaveProperty('RELEASE');
    expect(existsSync(path.join(dir, 'release.txt'))).toBe(false);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
  });
});
