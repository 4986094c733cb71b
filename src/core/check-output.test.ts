import { describe, expect, it } from 'vitest';
import { checkOutput } from './check-output.ts';

const text = (lines: string[]) => lines.join('\n');
const bare = (t: string) => ({ text: t, lang: null });

describe('checkOutput', () => {
  it('matches expected lines in order with whitespace normalised and extra lines around them', () => {
    const actual = text(['Warning: something noisy', 'NAME    READY   STATUS', 'web     1/1     Running', '', 'done']);
    expect(checkOutput(bare(text(['NAME READY STATUS', 'web  1/1  Running'])), actual)).toEqual({ matched: true, diff: '' });
  });

  it('treats ... and [...] lines as any run of lines, and [...] inside a line as any text', () => {
    const actual = text(['Events:', '  one', '  two', '  three', 'Status: Succeeded (after 3 tries)']);
    expect(checkOutput(bare(text(['Events:', '...', 'Status: Succeeded [...]'])), actual).matched).toBe(true);
    expect(checkOutput(bare(text(['Events:', '[...]', '  three'])), actual).matched).toBe(true);
  });

  it('catches lines out of order and real mismatches, with a short diff naming both sides', () => {
    const actual = text(['hello, v1', 'served by v1']);
    const result = checkOutput(bare(text(['hello, v2', 'served by v1'])), actual);
    expect(result.matched).toBe(false);
    expect(result.diff).toContain('--- expected');
    expect(result.diff).toContain('+++ actual');
    expect(result.diff).toContain('-hello, v2');
    expect(result.diff).toContain('+hello, v1');
    expect(result.diff).not.toContain('-served by v1');
    expect(checkOutput(bare(text(['served by v1', 'hello, v1'])), actual).matched).toBe(false);
  });

  it('lets ages and durations differ, kubectl event counts included', () => {
    const expected = text([
      'Type     Reason  Age    From     Message',
      'Normal   Synced  5m47s  flagger  New revision detected! (x5 over 16m)',
      'Warning  Synced  47s    flagger  Canary failed!',
    ]);
    const actual = text([
      'Type     Reason  Age   From     Message',
      'Normal   Synced  12s   flagger  New revision detected! (x2 over 1m3s)',
      'Warning  Synced  2m    flagger  Canary failed!',
    ]);
    expect(checkOutput(bare(expected), actual).matched).toBe(true);
    expect(checkOutput(bare(expected), actual.replace('Canary failed!', 'Canary promoted!')).matched).toBe(false);
  });

  it('ignores the AGE column whatever it holds', () => {
    const expected = text(['NAME          READY   STATUS    RESTARTS   AGE', 'web-v1        1/1     Running   0          11m']);
    const actual = text(['NAME     READY   STATUS    RESTARTS   AGE', 'web-v1   1/1     Running   0          <invalid>']);
    expect(checkOutput(bare(expected), actual).matched).toBe(true);
    expect(checkOutput(bare(expected), actual.replace('Running', 'Pending')).matched).toBe(false);
  });

  it('lets generated Kubernetes name suffixes, hashes, IPs, timestamps and dates differ', () => {
    const expected = text([
      'pod/go-demo-6-7d9c6b5f4-x2x8z   1/1   Running',
      'job/migrate-k2x9p',
      'commit 3f9a2c1d0b7e',
      'image: registry/app@sha256:9b2f0c4e8d1a7b3c5e6f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d',
      'LoadBalancer   10.0.12.7   35.241.12.9   80:31380/TCP',
      'updated at 2019-07-12T10:15:00Z by Thu Nov 26 03:57:57 UTC 2026',
      'took 1.5s at 12:03:44',
    ]);
    const actual = text([
      'pod/go-demo-6-5b8f9c7d6-q7wzt   1/1   Running',
      'job/migrate-4mm8s',
      'commit a81b44e09c2f',
      'image: registry/app@sha256:0000000000000000000000000000000000000000000000000000000000000abc',
      'LoadBalancer   10.0.3.250   34.76.1.200   80:31380/TCP',
      'updated at 2026-11-26T04:01:07.123+00:00 by Fri Nov 27 14:02:03 UTC 2026',
      'took 250ms at 04:01:07',
    ]);
    expect(checkOutput(bare(expected), actual)).toEqual({ matched: true, diff: '' });
    // The stable part of a name still counts.
    expect(checkOutput(bare('pod/go-demo-6-7d9c6b5f4-x2x8z'), 'pod/go-demo-7-5b8f9c7d6-q7wzt').matched).toBe(false);
    // A port is not an IP, and words are not hashes.
    expect(checkOutput(bare('80:31380/TCP'), '80:31381/TCP').matched).toBe(false);
    expect(checkOutput(bare('status: deployed'), 'status: defaced').matched).toBe(false);
  });

  it('matches a YAML expected block that is a subset of the actual document', () => {
    const expected = { lang: 'yaml', text: text(['spec:', '  http:', '  - route:', '    - destination:', '        host: web-primary', '      weight: 90']) };
    const actual = text([
      'apiVersion: networking.istio.io/v1alpha3',
      'kind: VirtualService',
      'metadata:',
      '  name: web',
      '  creationTimestamp: "2026-11-26T04:00:00Z"',
      'spec:',
      '  hosts: [web]',
      '  http:',
      '  - route:',
      '    - destination:',
      '        host: web-primary',
      '      weight: 90',
      '    - destination:',
      '        host: web-canary',
      '      weight: 10',
    ]);
    expect(checkOutput(expected, actual).matched).toBe(true);
    const wrong = checkOutput({ ...expected, text: expected.text.replace('90', '50') }, actual);
    expect(wrong.matched).toBe(false);
    expect(wrong.diff).toContain('weight: 50');
    const elided = { lang: 'yaml', text: text(['metadata: [...]', 'spec:', '  hosts: [web]']) };
    expect(checkOutput(elided, actual).matched).toBe(true);
  });

  it('matches a JSON expected block that is a subset, with volatile values tolerated', () => {
    const expected = { lang: 'json', text: '{"version": "v2", "hits": 3, "host": "10.0.0.1", "tags": ["canary"]}' };
    expect(checkOutput(expected, '{"version":"v2","hits":3,"host":"192.168.7.4","tags":["a","canary"],"extra":true}').matched).toBe(true);
    expect(checkOutput(expected, '{"version":"v1","hits":3,"host":"192.168.7.4","tags":["canary"]}').matched).toBe(false);
  });

  it('fails when expected output is missing altogether and keeps the diff short', () => {
    const actual = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
    const result = checkOutput(bare(text(['line 3', 'nowhere to be found'])), actual);
    expect(result.matched).toBe(false);
    expect(result.diff.split('\n').length).toBeLessThanOrEqual(41);
  });
});

describe('checkOutput with Innovation Engine similarity and patterns', () => {
  const expected = ['{', '  "id": "/subscriptions/xxxxx/resourceGroups/rg-xxx",', '  "location": "westus2",', '  "name": "rg-xxx",', '  "provisioningState": "Succeeded"', '}'].join('\n');
  const actual = ['{', '  "id": "/subscriptions/7f3c/resourceGroups/rg-a1b2c3",', '  "location": "westus2",', '  "name": "rg-a1b2c3",', '  "provisioningState": "Succeeded"', '}'].join('\n');

  it('matches when the share of expected lines found in order reaches the similarity', () => {
    expect(checkOutput({ text: expected, lang: 'json' }, actual).matched).toBe(false);
    expect(checkOutput({ text: expected, lang: 'json', similarity: 0.3 }, actual).matched).toBe(true);
    expect(checkOutput({ text: expected, lang: 'json', similarity: 0.9 }, actual).matched).toBe(false);
  });

  it('matches a pattern against the whole output, line anchors included', () => {
    expect(checkOutput({ text: 'Succeeded', lang: 'text', pattern: '^Succeeded$' }, 'Succeeded\n')).toEqual({ matched: true, diff: '' });
    const failed = checkOutput({ text: 'Succeeded', lang: 'text', pattern: '^Succeeded$' }, 'Failed\n');
    expect(failed.matched).toBe(false);
    expect(failed.diff).toContain('-/^Succeeded$/');
    expect(failed.diff).toContain('+Failed');
  });
});
