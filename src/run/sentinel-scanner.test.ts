import { describe, expect, it } from 'vitest';
import { SENTINEL_OSC, SentinelScanner } from './sentinel-scanner.ts';

const mark = (nonce: string, value: string) => `\x1b]${SENTINEL_OSC};bookrun;${nonce};${value}\x07`;

describe('SentinelScanner (the marker protocol, read side)', () => {
  it('finds its own sentinels however the stream is cut, and passes everything else on as output at once', () => {
    const stream = `hello\n${mark('abc', '0')}\x1b[31mred\x1b[0m\n${mark('abc', 'more')}${mark('abc', 'sync-2')}tail`;
    for (let cut = 1; cut < stream.length; cut += 1) {
      const scanner = new SentinelScanner('abc');
      const items = [...scanner.push(stream.slice(0, cut)), ...scanner.push(stream.slice(cut))];
      const output = items.filter((i) => i.kind === 'output').map((i) => (i.kind === 'output' ? i.text : '')).join('');
      expect(output, `cut at ${cut}`).toBe('hello\n\x1b[31mred\x1b[0m\ntail');
      expect(items.filter((i) => i.kind === 'sentinel').map((i) => (i.kind === 'sentinel' ? i.value : ''))).toEqual(['0', 'more', 'sync-2']);
    }
  });

  it('does not take a sentinel with another nonce (a command cannot fake the end of a command)', () => {
    const scanner = new SentinelScanner('abc');
    expect(scanner.push(`fake ${mark('xyz', '0')} done`)).toEqual([{ kind: 'output', text: `fake ${mark('xyz', '0')} done` }]);
  });
});
