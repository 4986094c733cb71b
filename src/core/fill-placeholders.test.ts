import { describe, expect, it } from 'vitest';
import { VALUE_RULE } from './check-value.ts';
import { fillPlaceholders } from './fill-placeholders.ts';

describe('fillPlaceholders', () => {
  it('fills every NAME=[...] it has a value for, shell-quoted, and names the rest', () => {
    const values: Record<string, string> = { GH_USER: 'vfarcic', VERSION: "1; rm -rf ~ 'x'" };
    expect(fillPlaceholders('export GH_USER=[...] VERSION=[...] PORT=[...]', ['GH_USER', 'VERSION', 'PORT'], (n) => values[n])).toEqual({
      kind: 'filled',
      command: `export GH_USER=vfarcic VERSION='1; rm -rf ~ '\\''x'\\''' PORT=[...]`,
      missing: ['PORT'],
    });
  });

  it('never touches a name that only ends like a placeholder', () => {
    expect(fillPlaceholders('MY_PORT=[...] PORT=[...]', ['PORT'], () => '80')).toMatchObject({ command: 'MY_PORT=[...] PORT=80' });
  });

  it('puts display text in as it is (for showing a command, not running it)', () => {
    expect(fillPlaceholders('RELEASE=[...]', ['RELEASE'], () => ({ display: '<captured at line 17>' }))).toMatchObject({ command: 'RELEASE=<captured at line 17>' });
  });

  it('refuses a value with a control character, naming the placeholder and the rule', () => {
    for (const [value, name] of [
      ['\x15touch pwned #', 'ctrl+u (U+0015)'],
      ['\u001b[201~\u0015touch pwned #', 'ESC (U+001B)'],
      ['v1\n', 'newline (U+000A)'],
      ['v1\r', 'carriage return (U+000D)'],
      ['v\x7f', 'DEL (U+007F)'],
      ['v\u009b', 'a C1 control character (U+009B)'],
    ] as const) {
      const result = fillPlaceholders('echo ok; TEAM=[...]', ['TEAM'], () => value);
      expect(result.kind, JSON.stringify(value)).toBe('refused');
      expect(result.kind === 'refused' && result.message).toContain(`TEAM: the value holds ${name}`);
      expect(result.kind === 'refused' && result.message).toContain(VALUE_RULE);
    }
    expect(fillPlaceholders('TEAM=[...]', ['TEAM'], () => 'a\tb é 日本 🙂')).toMatchObject({ kind: 'filled', command: "TEAM='a\tb é 日本 🙂'" });
  });
});
