import { describe, expect, it } from 'vitest';
import { OutputFrames } from './output-frames.ts';

const turn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('OutputFrames', () => {
  it('sends output that follows quiet before the next event-loop turn (an echoed key waits for nothing)', async () => {
    const sent: string[] = [];
    const frames = new OutputFrames((d) => sent.push(d), { frameMax: 1024, streamWindowMs: 50, streamFrame: 64 });
    frames.push('a');
    frames.push('b');
    expect(sent).toEqual([]);
    await turn();
    expect(sent).toEqual(['ab']);
    // Small frames keep it interactive: the next key goes as soon, however close it follows.
    frames.push('c');
    await turn();
    expect(sent).toEqual(['ab', 'c']);
  });

  it('gathers the reads that closely follow a large frame for its window, and sends at once what reaches frameMax', async () => {
    const sent: string[] = [];
    const frames = new OutputFrames((d) => sent.push(d), { frameMax: 1000, streamWindowMs: 300, streamFrame: 100 });
    frames.push('x'.repeat(200));
    await turn();
    expect(sent.map((f) => f.length)).toEqual([200]);
    // Streaming now: the next reads wait for the window...
    frames.push('y'.repeat(300));
    frames.push('y'.repeat(300));
    await turn();
    await sleep(5);
    expect(sent.map((f) => f.length)).toEqual([200]);
    // ...unless they would fill a frame: what is gathered goes at once (in order), never more than frameMax.
    frames.push('z'.repeat(500));
    expect(sent.map((f) => f.length)).toEqual([200, 600]);
    frames.push('v'.repeat(500));
    expect(sent.map((f) => f.length)).toEqual([200, 600, 1000]);
    frames.push('w'.repeat(10));
    await sleep(400);
    expect(sent.map((f) => f.length)).toEqual([200, 600, 1000, 10]);
    expect(sent.join('')).toBe(`${'x'.repeat(200)}${'y'.repeat(600)}${'z'.repeat(500)}${'v'.repeat(500)}${'w'.repeat(10)}`);
    // Quiet again after the window: the next read goes on the next turn.
    await sleep(400);
    frames.push('q');
    await turn();
    expect(sent.at(-1)).toBe('q');
  });

  it('flush sends what is gathered now and cancels the scheduled frame; discard drops it', async () => {
    const sent: string[] = [];
    const frames = new OutputFrames((d) => sent.push(d), { frameMax: 1000, streamWindowMs: 20, streamFrame: 100 });
    frames.push('first');
    frames.flush();
    expect(sent).toEqual(['first']);
    frames.push('dropped');
    frames.discard();
    await sleep(40);
    expect(sent).toEqual(['first']);
    frames.push('');
    frames.flush();
    expect(sent).toEqual(['first']);
  });
});
