import { describe, expect, it } from 'vitest';
import { checkAttempt, type Attempt, type JudgedStep, type WaitPolicy } from './check-attempt.ts';

const policy: WaitPolicy = { retry: { attempts: 4, firstDelayMs: 1000, maxDelayMs: 3000 }, eventualIntervalMs: 500, waitTimeoutMs: 10_000 };
const plain: JudgedStep = { command: 'curl -s localhost', watch: false, retryWhile: null, eventually: false, expect: null, annotations: {} };
const attempt = (fields: Partial<Attempt>): Attempt => ({ end: { kind: 'exited', exitCode: 0 }, exitCode: 0, output: '', number: 1, elapsedMs: 10, ...fields });
const expect_ = (text: string) => ({ line: 20, text, lang: null, source: 'fence' as const });

describe('checkAttempt (the one judge of bookrun run, the terminal server and the page)', () => {
  it('passes on the expected exit status and output, fails with a reason otherwise', () => {
    expect(checkAttempt({ ...plain, expect: expect_('ok') }, attempt({ output: 'ok\n' }), policy)).toMatchObject({ kind: 'done', status: 'passed', ended: 'exited', reason: null, expect: { matched: true } });
    expect(checkAttempt(plain, attempt({ end: { kind: 'exited', exitCode: 3 }, exitCode: 3 }), policy)).toMatchObject({ status: 'failed', reason: 'exit status 3', exitCode: 3 });
    expect(checkAttempt({ ...plain, annotations: { exitCode: 1 } }, attempt({ end: { kind: 'exited', exitCode: 1 } }), policy)).toMatchObject({ status: 'passed' });
    expect(checkAttempt({ ...plain, expect: expect_('ok') }, attempt({ output: 'nope\n' }), policy)).toMatchObject({ status: 'failed', reason: 'the output does not match the expected output at line 20' });
  });

  it('retries while the phrase shows, with the wait doubling to its most, then fails after the last attempt', () => {
    const step = { ...plain, retryWhile: 'no healthy upstream' };
    const busy = (number: number) => checkAttempt(step, attempt({ number, output: 'no healthy upstream\n' }), policy);
    expect([1, 2, 3].map((n) => busy(n))).toEqual([1000, 2000, 3000].map((delayMs) => ({ kind: 'again', delayMs, why: 'the output contains "no healthy upstream"', expect: null })));
    expect(busy(4)).toMatchObject({ kind: 'done', status: 'failed', reason: 'the output still contains "no healthy upstream" after 4 attempts' });
    expect(checkAttempt(step, attempt({ number: 2, output: 'served\n' }), policy)).toMatchObject({ kind: 'done', status: 'passed' });
    // A run that stops tries no more.
    expect(checkAttempt(step, attempt({ output: 'no healthy upstream\n' }), policy, true)).toMatchObject({ kind: 'done', status: 'failed' });
  });

  it('waits for an eventual output every interval until --wait-timeout, then says so', () => {
    const step = { ...plain, eventually: true, expect: expect_('status: ready') };
    expect(checkAttempt(step, attempt({ output: 'status: pending\n', elapsedMs: 9000 }), policy)).toMatchObject({ kind: 'again', delayMs: 500, why: 'waiting for the expected output' });
    expect(checkAttempt(step, attempt({ output: 'status: pending\n', number: 19, elapsedMs: 9600 }), policy)).toMatchObject({
      kind: 'done',
      status: 'failed',
      reason: 'the output did not match the expected output at line 20 within --wait-timeout 10s (19 attempts)',
    });
  });

  it('judges watches: until and expected output end them, the timeout fails one whose output never matched', () => {
    const watch = { ...plain, watch: true, expect: expect_('Running') };
    expect(checkAttempt(watch, attempt({ end: { kind: 'expect' }, exitCode: 130, output: 'Running\n' }), policy)).toMatchObject({ status: 'passed', ended: 'expect' });
    expect(checkAttempt({ ...watch, annotations: { until: 'Running' } }, attempt({ end: { kind: 'until' }, exitCode: 130, output: 'Running\n' }), policy)).toMatchObject({ status: 'passed', ended: 'until' });
    const late = checkAttempt(watch, attempt({ end: { kind: 'timed-out', timeoutMs: 60_000, limit: 'watch-timeout' }, exitCode: 130, output: 'Pending\n' }), policy);
    expect(late).toMatchObject({ status: 'failed', ended: 'watch-timeout', reason: 'the watch was stopped at --watch-timeout 1m before its output matched the expected output at line 20' });
    expect(late.kind === 'done' && late.expect?.diff).toContain('-Running');
    // A watch with nothing to wait for passes at its timeout, as a reader stops it when bored.
    expect(checkAttempt({ ...plain, watch: true }, attempt({ end: { kind: 'timed-out', timeoutMs: 1000, limit: 'watch-timeout' } }), policy)).toMatchObject({ status: 'passed', ended: 'watch-timeout' });
  });

  it('says who stopped a step: the reader (a watch the book stops by hand passes, unless its output had not matched), the run, ctrl+c on bookrun', () => {
    const reader = attempt({ end: { kind: 'interrupted', by: 'reader' }, exitCode: 130 });
    expect(checkAttempt({ ...plain, watch: true }, reader, policy)).toMatchObject({ status: 'passed', ended: 'interrupted' });
    expect(checkAttempt({ ...plain, watch: true, expect: expect_('Running') }, { ...reader, output: 'Pending\n' }, policy)).toMatchObject({ status: 'interrupted', reason: 'stopped by hand before its output matched' });
    expect(checkAttempt(plain, reader, policy)).toMatchObject({ status: 'interrupted', reason: 'stopped by hand (ctrl+c)' });
    expect(checkAttempt(plain, attempt({ end: { kind: 'interrupted', by: 'abort' } }), policy)).toMatchObject({ status: 'interrupted', reason: 'interrupted: bookrun run was interrupted' });
    expect(checkAttempt(plain, attempt({ end: { kind: 'interrupted', by: 'finishing' } }), policy)).toMatchObject({ status: 'interrupted', reason: 'interrupted: the first terminal finished' });
  });

  it('quotes the prompt of a command that waited for keyboard input, and judges an `exit` by its status', () => {
    const waited = checkAttempt(plain, attempt({ end: { kind: 'keyboard', prompt: 'Continue? [y/N] ', waitedMs: 3000 }, exitCode: 130 }), policy);
    expect(waited).toMatchObject({ status: 'failed', ended: 'interrupted' });
    expect(waited.kind === 'done' && waited.reason).toMatch(/^the command waits for keyboard input at the prompt "Continue\? \[y\/N\]" \(it read the terminal for 3s/);
    expect(checkAttempt({ ...plain, command: 'exit 0' }, attempt({ end: { kind: 'shell-exited', exitCode: 0 } }), policy)).toMatchObject({ status: 'passed', ended: 'exited' });
    expect(checkAttempt(plain, attempt({ end: { kind: 'shell-exited', exitCode: null } }), policy)).toMatchObject({ status: 'failed', reason: 'the shell of this terminal exited' });
  });

  it('captures placeholders from a passing output, refusing a value that would act as keys', () => {
    const step = { ...plain, annotations: { capture: { VERSION: 'version: (\\S+)' } } };
    expect(checkAttempt(step, attempt({ output: 'version: 1.2.3\n' }), policy)).toMatchObject({ status: 'passed', captures: { VERSION: '1.2.3' } });
    expect(checkAttempt(step, attempt({ output: 'nothing\n' }), policy)).toMatchObject({ status: 'failed', reason: 'capture VERSION: /version: (\\S+)/ is not in the output' });
    expect(checkAttempt({ ...plain, annotations: { capture: { V: 'v=(.*)' } } }, attempt({ output: 'v=a\x15b\n' }), policy)).toMatchObject({ status: 'failed', reason: expect.stringContaining('capture V: the captured value holds ctrl+u') });
  });
});
