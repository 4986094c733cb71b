/**
 * `bookrun run` as a user runs it (the real CLI, real bash, real ptys) for what a real cluster chapter needs:
 * secrets that never show, prompts answered from a values file, teardown after a failure, and record mode,
 * whose diff `git apply` takes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runBookrun } from '../../testing/run-bookrun.ts';
import { copyFixture } from '../../testing/copy-fixture.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(root, 'src', 'run', 'fixtures');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the runner's fixture book in a temporary folder (reports and state land there too). */
function fixtureBook(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-cli-real-'));
  dirs.push(dir);
  copyFixture(fixtures, dir);
  return dir;
}

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): Array<[string, string]> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .map((f) => [f, readFileSync(f, 'utf8')]);
}

const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });

describe('bookrun run: secrets', () => {
  it('masks a secret echoed by a command in stdout, the report, the JUnit file and the saved reports, and keeps it out of the state', async () => {
    const dir = fixtureBook();
    const token = 'ghp_Real0Token0That0Must0Not0Leak';
    const apiKey = 'sk-live-another-secret-4242';
    const result = await runBookrun(
      ['run', 'secrets.md', '--variant', 'gke-static', '--secret', `GH_TOKEN=${token}`, '--secret', 'API_KEY', '--keep-going', '--report', 'out/report.json', '--junit', 'out/junit.xml'],
      dir,
      { env: { API_KEY: apiKey, HOME: dir } },
    );
    // The expected output differs (it shows a placeholder token), so the diff with the echoed token is printed too.
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('+logging in with ***');
    expect(result.stdout).toContain('L20 echo "the environment has ${API_KEY:-nothing}"');
    const report = JSON.parse(readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
    expect(report.steps.find((s: { line: number }) => s.line === 20).output).toBe('the environment has ***\n');
    expect(report.secrets).toEqual(['API_KEY', 'GH_TOKEN']);
    const written = [['stdout', result.stdout], ['stderr', result.stderr], ...filesUnder(dir).filter(([f]) => f.includes(`${path.sep}out${path.sep}`) || f.includes(`${path.sep}.bookrun${path.sep}`))];
    expect(written.map(([f]) => path.basename(f))).toEqual(expect.arrayContaining(['report.json', 'junit.xml', 't1.sh', 'meta.json']));
    for (const [file, text] of written) {
      expect(text, file).not.toContain(token);
      expect(text, file).not.toContain(apiKey);
    }
  });

  it('treats the variables ci.secrets names as secrets, and --from asks again for the secrets of the saved run', async () => {
    const dir = fixtureBook();
    writeFileSync(path.join(dir, 'bookrun.yaml'), `${readFileSync(path.join(dir, 'bookrun.yaml'), 'utf8')}ci:\n  secrets:\n    API_KEY: BOOK_API_KEY\n`);
    const apiKey = 'ci-secret-from-the-environment';
    const first = await runBookrun(['run', 'secrets.md', '--variant', 'gke-static', '--set', 'GH_TOKEN=not-secret', '--keep-going', '--report', 'first.json'], dir, { env: { API_KEY: apiKey, HOME: dir } });
    const report = readFileSync(path.join(dir, 'first.json'), 'utf8');
    expect(JSON.parse(report).steps.at(-1).output).toBe('the environment has ***\n');
    expect(JSON.parse(report).secrets).toEqual(['API_KEY']);
    expect(report + first.stdout).not.toContain(apiKey);
    // The state of a run with a secret: resuming without it stops before anything runs, saying what to pass.
    const secret = await runBookrun(['run', 'secrets.md', '--variant', 'gke-static', '--secret', 'GH_TOKEN=abcd-secret', '--keep-going'], dir, { env: { HOME: dir } });
    expect(secret.code).toBe(1);
    const resumed = await runBookrun(['run', 'secrets.md', '--variant', 'gke-static', '--from', '20'], dir, { env: { HOME: dir } });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain('had the secret GH_TOKEN, and secrets are never saved: give it again with --secret GH_TOKEN');
    const again = await runBookrun(['run', 'secrets.md', '--variant', 'gke-static', '--from', '20', '--secret', 'GH_TOKEN=abcd-secret'], dir, { env: { HOME: dir } });
    expect(again.code).toBe(0);
  });

  it('refuses --secret NAME when the environment has no NAME (exit 2, before anything runs)', async () => {
    const dir = fixtureBook();
    const result = await runBookrun(['run', 'secrets.md', '--variant', 'gke-static', '--secret', 'NOT_SET_ANYWHERE'], dir, { env: { NOT_SET_ANYWHERE: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--secret NOT_SET_ANYWHERE: the environment has no NOT_SET_ANYWHERE');
  });
});

describe('bookrun run: answers and teardown', () => {
  it('answers a read -p prompt from the answers: of a values file', async () => {
    const dir = fixtureBook();
    writeFileSync(path.join(dir, 'answers.yaml'), 'answers:\n  - prompt: "Continue? [y/N]"\n    reply: y\n');
    const result = await runBookrun(['run', 'prompts.md', '--variant', 'gke-static', '--values', 'answers.yaml', '--report', 'r.json'], dir, { env: { HOME: dir } });
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect(report.steps.find((s: { line: number }) => s.line === 10).output).toBe('answered y\n');
  });

  it('refuses a reply holding a control character, naming the file and line (exit 2)', async () => {
    const dir = fixtureBook();
    writeFileSync(path.join(dir, 'answers.yaml'), 'answers:\n  - prompt: Continue?\n    reply: "y\\u0015touch pwned"\n');
    const result = await runBookrun(['run', 'prompts.md', '--variant', 'gke-static', '--values', 'answers.yaml'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('answers.yaml:1 answers[0]: the reply holds ctrl+u (U+0015)');
  });

  it('runs the teardown after a failure and reports it apart; --no-teardown keeps the resources', async () => {
    const dir = fixtureBook();
    const result = await runBookrun(['run', 'teardown.md', '--variant', 'gke-static'], dir, { env: { HOME: dir } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('── teardown: 4 steps, run after the failure so nothing is left behind');
    expect(result.stdout).toMatch(/FAILED 4 passed, 2 failed, 1 skipped in .*; teardown: 3 passed, 1 failed/);
    expect(result.stdout).toContain('teardown.md:35 (teardown) exit status 1');
    expect(readFileSync(path.join(dir, 'deleted.txt'), 'utf8')).toBe('deleted\nalso deleted\n');
    const junit = await runBookrun(['run', 'teardown.md', '--variant', 'gke-static', '--junit', 'j.xml'], dir, { env: { HOME: dir } });
    expect(junit.code).toBe(1);
    const xml = readFileSync(path.join(dir, 'j.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="teardown.md [gke-static]" tests="3" failures="1" errors="0" skipped="1"');
    expect(xml).toContain('<testsuite name="teardown.md [gke-static] teardown" tests="4" failures="1" errors="0" skipped="0"');
    const kept = fixtureBook();
    const keep = await runBookrun(['run', 'teardown.md', '--variant', 'gke-static', '--no-teardown'], kept, { env: { HOME: kept } });
    expect(keep.code).toBe(1);
    expect(keep.stdout).toContain('── teardown: 4 steps not run (--no-teardown): what the chapter created is still there');
    expect(readFileSync(path.join(kept, 'resource.txt'), 'utf8')).toBe('created\n');
  });
});

describe('bookrun run --update-expected (record mode)', () => {
  it('prints a diff git apply takes, rewriting only the wrong fence and keeping its elision, AGE and aligned lines; the recorded chapter then passes', async () => {
    const dir = fixtureBook();
    expect(git(dir, 'init', '-q').status).toBe(0);
    const before = readFileSync(path.join(dir, 'record.md'), 'utf8');
    const result = await runBookrun(['run', 'record.md', '--variant', 'gke-static', '--update-expected'], dir, { env: { HOME: dir } });
    // The run's own exit code: the wrong output failed it.
    expect(result.code).toBe(1);
    // Nothing is written without --write.
    expect(readFileSync(path.join(dir, 'record.md'), 'utf8')).toBe(before);
    expect(result.stdout).toMatch(/^diff --git a\/record\.md b\/record\.md\n--- a\/record\.md\n\+\+\+ b\/record\.md\n@@ /);
    // Progress goes to stderr, so stdout is the patch alone.
    expect(result.stderr).toContain('L34 printf');
    expect(result.stderr).toContain('recorded the output of line 34');
    writeFileSync(path.join(dir, 'record.patch'), result.stdout);
    const check = git(dir, 'apply', '--check', 'record.patch');
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(git(dir, 'apply', 'record.patch').status).toBe(0);
    const after = readFileSync(path.join(dir, 'record.md'), 'utf8');
    const a = before.split('\n');
    const b = after.split('\n');
    expect(b.length).toBe(a.length);
    // Only the body of the wrong fence (lines 40-44) changed, and only its last line: the rest is the author's.
    const changed = a.map((line, i) => (line === b[i] ? null : i + 1)).filter((n) => n !== null);
    expect(changed).toEqual([44]);
    expect(b.slice(39, 44)).toEqual(['Events:', '[...]', 'NAME     READY   STATUS    AGE', 'web-v1   1/1     Running   11m', 'hello from v2']);
    const rerun = await runBookrun(['run', 'record.md', '--variant', 'gke-static'], dir, { env: { HOME: dir } });
    expect(rerun.stdout).toContain('PASSED 4 passed');
    expect(rerun.code).toBe(0);
  });

  it('--write applies the same change atomically, and --add-missing gives a step without an output fence one', async () => {
    const dir = fixtureBook();
    const before = readFileSync(path.join(dir, 'record.md'), 'utf8');
    const mode = statSync(path.join(dir, 'record.md')).mode;
    const result = await runBookrun(['run', 'record.md', '--variant', 'gke-static', '--update-expected', '--write', '--add-missing'], dir, { env: { HOME: dir } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('wrote record.md: the output of lines 34, 50 recorded');
    const after = readFileSync(path.join(dir, 'record.md'), 'utf8');
    expect(after).toContain('hello from v2\n```');
    expect(after).toContain('echo "nobody pasted this"\n```\n\n```\nnobody pasted this\n```\n\nThat\'s all.\n');
    const at = after.lastIndexOf('hello from v2');
    expect(`${after.slice(0, at)}hello from v1${after.slice(at + 'hello from v2'.length)}`.replace('\n```\nnobody pasted this\n```\n', '')).toBe(before);
    expect(statSync(path.join(dir, 'record.md')).mode).toBe(mode);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const rerun = await runBookrun(['run', 'record.md', '--variant', 'gke-static', '--report', 'r.json'], dir, { env: { HOME: dir } });
    expect(rerun.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')).steps.at(-1).expect).toMatchObject({ matched: true });
  });

  it('refuses to --write a chapter that changed while it ran', async () => {
    const dir = fixtureBook();
    const chapter = `${readFileSync(path.join(dir, 'record.md'), 'utf8')}\n\`\`\`bash\necho "the author saves the file meanwhile" >>record.md\n\`\`\`\n`;
    writeFileSync(path.join(dir, 'record.md'), chapter);
    const result = await runBookrun(['run', 'record.md', '--variant', 'gke-static', '--update-expected', '--write'], dir, { env: { HOME: dir } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('record.md: changed since the run began: not written (--update-expected --write)');
    expect(readFileSync(path.join(dir, 'record.md'), 'utf8')).toBe(`${chapter}the author saves the file meanwhile\n`);
  });
});
