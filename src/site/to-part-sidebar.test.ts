import { describe, expect, it } from 'vitest';
import { toPartSidebar } from './to-part-sidebar.ts';

const doc = (id: string) => ({ type: 'doc', id });

describe('toPartSidebar', () => {
  it('groups chapters under the part each opens; the front matter stays on top, the back matter leaves the last part', () => {
    const parts: Record<string, string> = { setup: 'Part One: The Cluster', canary: 'Part Two: Progressive Delivery' };
    const items = toPartSidebar([doc('preface'), doc('setup'), doc('first-app'), doc('canary'), doc('metrics'), doc('glossary')], (id) => parts[id] ?? null, (id) => id === 'glossary');
    expect(items).toEqual([
      doc('preface'),
      { type: 'category', label: 'Part One: The Cluster', collapsible: true, collapsed: false, items: [doc('setup'), doc('first-app')] },
      { type: 'category', label: 'Part Two: Progressive Delivery', collapsible: true, collapsed: false, items: [doc('canary'), doc('metrics')] },
      doc('glossary'),
    ]);
  });

  it('leaves a book without parts as it is', () => {
    const items = [doc('a'), doc('b')];
    expect(toPartSidebar(items, () => null)).toEqual(items);
  });
});
