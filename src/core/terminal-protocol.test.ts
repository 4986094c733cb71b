import { describe, expect, it } from 'vitest';
import { checkRunValues, decodeOutputFrame, MAX_CLIENT_FRAME, MAX_INPUT_LENGTH, parseClientMessage } from './terminal-protocol.ts';

describe('parseClientMessage', () => {
  it('accepts every documented client message', () => {
    expect(parseClientMessage('{"type":"auth","token":"abc"}')).toEqual({ type: 'auth', token: 'abc' });
    expect(parseClientMessage('{"type":"auth","token":"abc","session":"s-1"}')).toEqual({ type: 'auth', token: 'abc', session: 's-1' });
    expect(parseClientMessage('{"type":"auth","token":"abc","output":"binary"}')).toEqual({ type: 'auth', token: 'abc', output: 'binary' });
    expect(parseClientMessage('{"type":"auth","token":"abc","output":"json"}')).toEqual({ type: 'auth', token: 'abc', output: 'json' });
    expect(parseClientMessage('{"type":"open","terminal":1,"cols":80,"rows":24}')).toEqual({ type: 'open', terminal: 1, cols: 80, rows: 24 });
    expect(parseClientMessage('{"type":"open","terminal":2}')).toEqual({ type: 'open', terminal: 2 });
    expect(parseClientMessage('{"type":"input","terminal":1,"data":"ls\\r"}')).toEqual({ type: 'input', terminal: 1, data: 'ls\r' });
    expect(parseClientMessage('{"type":"resize","terminal":1,"cols":100,"rows":30}')).toEqual({ type: 'resize', terminal: 1, cols: 100, rows: 30 });
    expect(parseClientMessage('{"type":"signal","terminal":1,"signal":"SIGINT"}')).toEqual({ type: 'signal', terminal: 1, signal: 'SIGINT' });
    expect(parseClientMessage('{"type":"ack","terminal":1,"bytes":4096}')).toEqual({ type: 'ack', terminal: 1, bytes: 4096 });
    expect(
      parseClientMessage('{"type":"run","id":"req-1","chapter":"docs/local-canary.md","step":"L42","variant":"gke-static","values":{"VERSION":"1.2.3"}}'),
    ).toEqual({ type: 'run', id: 'req-1', chapter: 'docs/local-canary.md', step: 'L42', variant: 'gke-static', values: { VERSION: '1.2.3' } });
    expect(parseClientMessage('{"type":"run","id":"r","chapter":"c.md","step":"L4","digest":"0123456789abcdef","variant":"v"}')).toEqual({
      type: 'run', id: 'r', chapter: 'c.md', step: 'L4', digest: '0123456789abcdef', variant: 'v',
    });
    expect(parseClientMessage('{"type":"run","id":"r","chapter":"c.md","step":"L4","digest":"xyz","variant":"v"}')).toEqual({
      error: 'run: "digest" must be 16 hex digits (digestStep of the command)',
    });
    expect(parseClientMessage('{"type":"close","terminal":3}')).toEqual({ type: 'close', terminal: 3 });
    expect(parseClientMessage('{"type":"status"}')).toEqual({ type: 'status' });
  });

  it('ignores unknown extra fields so newer clients keep working', () => {
    expect(parseClientMessage('{"type":"status","extra":true}')).toEqual({ type: 'status' });
  });

  it.each([
    ['not json', 'not JSON'],
    ['[1,2]', 'JSON object'],
    ['{"type":"exec","command":"rm -rf /"}', 'unknown message type'],
    ['{"type":"auth"}', '"token"'],
    ['{"type":"auth","token":""}', '"token"'],
    ['{"type":"auth","token":"abc","output":"xml"}', '"output"'],
    ['{"type":"open","terminal":0}', '"terminal"'],
    ['{"type":"open","terminal":5}', '"terminal"'],
    ['{"type":"open","terminal":1.5}', '"terminal"'],
    ['{"type":"open","terminal":"1"}', '"terminal"'],
    ['{"type":"open","terminal":1,"cols":0}', '"cols"'],
    ['{"type":"resize","terminal":1,"cols":80}', '"rows"'],
    ['{"type":"input","terminal":1}', '"data"'],
    ['{"type":"signal","terminal":1,"signal":"SIGSEGV"}', '"signal"'],
    ['{"type":"ack","terminal":1,"bytes":-1}', '"bytes"'],
    ['{"type":"run","id":"r","chapter":"c.md","step":"L1"}', '"variant"'],
    ['{"type":"run","id":"r","chapter":"c.md","step":"L1","variant":"v","values":{"A":1}}', 'values.A'],
    ['{"type":"run","id":"r","chapter":"c.md","step":"L1","variant":"v","values":{"$(x)":"1"}}', 'not a placeholder name'],
    ['{"type":"run","id":"r r","chapter":"c.md","step":"L1","variant":"v"}', '"id"'],
    ['{"type":"run","id":"r","chapter":"c.md","variant":"v","command":"echo pwned"}', '"step"'],
  ])('refuses %s with a message naming the problem', (raw, fragment) => {
    const result = parseClientMessage(raw);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toContain(fragment);
  });

  it('refuses oversized frames and inputs', () => {
    expect(parseClientMessage(' '.repeat(MAX_CLIENT_FRAME + 1))).toHaveProperty('error');
    const big = JSON.stringify({ type: 'input', terminal: 1, data: 'x'.repeat(MAX_INPUT_LENGTH + 1) });
    expect((parseClientMessage(big) as { error: string }).error).toContain('longer than');
  });
});

describe('checkRunValues', () => {
  it('names the first value the value rule refuses, and passes data that only looks like code', () => {
    expect(checkRunValues(undefined)).toBeNull();
    expect(checkRunValues({ PORT: '8080', NAME: `it's "$(rm -rf /)"; #\tdone` })).toBeNull();
    expect(checkRunValues({ PORT: '8080', VERSION: '\u001b[201~\u0015touch pwned #' })).toMatchObject({ name: 'VERSION', problem: { codePoint: 0x1b, index: 0 } });
    expect(checkRunValues({ A: '1\n' })?.problem.name).toBe('newline (U+000A)');
  });
});

describe('decodeOutputFrame', () => {
  it('reads the terminal from the first byte and the text after it, and refuses a frame without a terminal', () => {
    const text = 'é€😀 \u001b[1mbold\u001b[0m\r\n';
    const bytes = new TextEncoder().encode(text);
    const frame = new Uint8Array(bytes.length + 1);
    frame[0] = 3;
    frame.set(bytes, 1);
    const decoder = new TextDecoder();
    expect(decodeOutputFrame(frame, decoder)).toEqual({ type: 'output', terminal: 3, data: text });
    expect(decodeOutputFrame(new Uint8Array([2]), decoder)).toEqual({ type: 'output', terminal: 2, data: '' });
    expect(decodeOutputFrame(new Uint8Array([]), decoder)).toMatchObject({ error: expect.stringContaining('terminal') });
    expect(decodeOutputFrame(new Uint8Array([0, 65]), decoder)).toMatchObject({ error: expect.stringContaining('terminal') });
    expect(decodeOutputFrame(new Uint8Array([9, 65]), decoder)).toMatchObject({ error: expect.stringContaining('terminal') });
  });
});
