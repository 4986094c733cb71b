import { describe, expect, it } from 'vitest';
import { checkValue, isRefusedCharacter } from './check-value.ts';

describe('checkValue', () => {
  it('accepts printable text, tabs, quotes, shell metacharacters and non-Latin letters', () => {
    for (const v of ['8080', 'a b\tc', `it's "$(x)"; rm -rf / #`, 'Grüße 你好 🚀', '']) expect(checkValue(v)).toBeNull();
  });

  it('refuses the keys that end a paste, erase a line or submit it, naming the first one', () => {
    expect(checkValue('\u001b[201~\u0015touch pwned #')).toMatchObject({ index: 0, codePoint: 0x1b, name: 'ESC (U+001B)' });
    expect(checkValue('80\u0015')).toMatchObject({ index: 2, name: 'ctrl+u (U+0015)' });
    expect(checkValue('x\u007f')).toMatchObject({ name: 'DEL (U+007F)' });
    expect(checkValue('x\u0017')).toMatchObject({ name: 'ctrl+w (U+0017)' });
    expect(checkValue('8080\n')).toMatchObject({ index: 4, name: 'newline (U+000A)' });
    expect(checkValue('8080\r')).toMatchObject({ name: 'carriage return (U+000D)' });
    expect(checkValue('\u009b201~')).toMatchObject({ name: 'a C1 control character (U+009B)' });
    expect(checkValue('a\u0000')?.message).toMatch(/NUL \(U\+0000\) at character 2: a value may hold/);
  });

  it('draws the line exactly at C0 but tab, DEL and C1', () => {
    const refused = [];
    for (let c = 0; c < 0x200; c += 1) if (isRefusedCharacter(c)) refused.push(c);
    expect(refused).toEqual([...Array.from({ length: 32 }, (_, i) => i).filter((c) => c !== 9), 0x7f, ...Array.from({ length: 32 }, (_, i) => 0x80 + i)]);
  });
});
