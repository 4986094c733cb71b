import { describe, expect, it } from 'vitest';
import { readPairing, withoutPairing } from './read-pairing.ts';

const token = 'eRe-8a61wlYkWLrWp4Zy995khZ89gdFPKlknW4gJ-pU';

describe('readPairing', () => {
  it('reads bookrun serve\'s #token= and bookrun connect\'s #port=&token=, and what remains of the fragment', () => {
    expect(readPairing(`#token=${token}`)).toEqual({ pairing: { token, port: null }, rest: '' });
    expect(readPairing(`#port=39499&token=${token}`)).toEqual({ pairing: { token, port: 39499 }, rest: '' });
    expect(readPairing(`#creating&port=39499&token=${token}`)).toEqual({ pairing: { token, port: 39499 }, rest: '#creating' });
    expect(withoutPairing(`#port=1&token=${token}`)).toBe('');
    expect(withoutPairing('#creating')).toBe('#creating');
  });

  it('takes nothing from a fragment that holds no pairing or a bad one', () => {
    expect(readPairing('#creating')).toBeNull();
    expect(readPairing('')).toBeNull();
    expect(readPairing(`#port=99999&token=${token}`)).toBeNull();
    expect(readPairing('#token=<script>')).toBeNull();
    expect(readPairing(`#port=1;evil&token=${token}`)).toBeNull();
  });
});
