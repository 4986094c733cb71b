import { describe, expect, it } from 'vitest';
import { parseBookConfig } from './book-config.ts';
import { parseChecklistItem } from './parse-checklist-item.ts';

const config = parseBookConfig(
  {
    chapters: ['docs/a.md'],
    variants: { dimensions: { cloud: ['gke', 'eks', 'aks', 'existing'], flavor: ['static', 'serverless'] }, name: '{cloud}-{flavor}' },
    conditions: { aliases: { tekton: 'serverless', prow: 'static' } },
  },
  'bookrun.yaml',
);

describe('parseChecklistItem', () => {
  it('maps the reference chapter\'s code review items to one variant each', () => {
    expect(parseChecklistItem('Code review static GKE', config)).toEqual({ kind: 'code-review', variants: ['gke-static'] });
    expect(parseChecklistItem('Code review serverless EKS', config)).toEqual({ kind: 'code-review', variants: ['eks-serverless'] });
    expect(parseChecklistItem('Code review existing static cluster', config)).toEqual({ kind: 'code-review', variants: ['existing-static'] });
    expect(parseChecklistItem('Code review existing serverless cluster', config)).toEqual({ kind: 'code-review', variants: ['existing-serverless'] });
  });

  it('accepts variant names, any word order, aliases and case', () => {
    expect(parseChecklistItem('Code review aks-serverless', config)).toEqual({ kind: 'code-review', variants: ['aks-serverless'] });
    expect(parseChecklistItem('code review GKE **static**', config)).toEqual({ kind: 'code-review', variants: ['gke-static'] });
    expect(parseChecklistItem('Code review tekton AKS', config)).toEqual({ kind: 'code-review', variants: ['aks-serverless'] });
  });

  it('names every matching variant when the item names fewer dimensions', () => {
    expect(parseChecklistItem('Code review GKE', config)).toEqual({ kind: 'code-review', variants: ['gke-static', 'gke-serverless'] });
    expect(parseChecklistItem('Code review', config)).toMatchObject({ kind: 'code-review' });
    expect((parseChecklistItem('Code review', config) as { variants: string[] }).variants).toHaveLength(8);
  });

  it('leaves an item naming an unknown value to the author, saying why', () => {
    const rule = parseChecklistItem('Code review static OpenShift', config);
    expect(rule.kind).toBe('manual');
    expect(rule.kind === 'manual' && rule.note).toContain('"openshift" is not a value');
    const two = parseChecklistItem('Code review GKE EKS', config);
    expect(two.kind === 'manual' && two.note).toContain('two values of cloud');
  });

  it('recognises the other derivable items and leaves the rest manual', () => {
    expect(parseChecklistItem('Gist', config)).toEqual({ kind: 'gist' });
    expect(parseChecklistItem('Review titles', config)).toEqual({ kind: 'review-titles' });
    expect(parseChecklistItem('Text review', config)).toEqual({ kind: 'text-review' });
    expect(parseChecklistItem('Add to Book.txt', config)).toEqual({ kind: 'book-order' });
    for (const text of ['Code', 'Write', 'Proofread', 'Add to slides', 'Publish on LeanPub.com']) {
      expect(parseChecklistItem(text, config)).toEqual({ kind: 'manual' });
    }
  });

  it('reads "Diagrams", and "Publish on <blog>" when the book config names the blog (blog.name)', () => {
    expect(parseChecklistItem('Diagrams', config)).toEqual({ kind: 'diagrams' });
    const blog = { ...config, blog: { name: 'TechnologyConversations.com', imageBase: null } };
    for (const text of ['Publish on TechnologyConversations.com', 'Publish on technologyconversations.com', 'publish to www.TechnologyConversations.com']) {
      expect(parseChecklistItem(text, blog)).toEqual({ kind: 'blog', blog: 'TechnologyConversations.com' });
    }
    expect(parseChecklistItem('Publish on LeanPub.com', blog)).toEqual({ kind: 'manual' });
    expect(parseChecklistItem('Publish on TechnologyConversations.com', config)).toEqual({
      kind: 'manual',
      note: 'set blog.name in bookrun.yaml to "TechnologyConversations.com" so bookrun export blog proves it',
    });
  });
});
