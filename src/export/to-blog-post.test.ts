/**
 * The blog post of a chapter written in the genre's reference style: parsed back with a real HTML parser, it
 * holds every code block of the chosen variant and nothing of the others, asides as call-outs, figures with
 * their captions, gist links filled, and none of the author's notes or bookrun's annotations.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBook, readChapter } from '../book/read-book.ts';
import { listVariants } from '../core/book-config.ts';
import { planChapter } from '../core/plan-chapter.ts';
import { parseHtml } from '../testing/parse-html.ts';
import { toBlogHtml } from './to-blog-html.ts';
import { toBlogPost } from './to-blog-post.ts';
import { toBlogPreview } from './to-blog-preview.ts';
import { toBlogWordpress } from './to-blog-wordpress.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/blog-book');
const KEY = 'docs/canary-analysis.md';
const book = await readBook({ cwd: root });
const chapter = await readChapter(book, path.join(root, KEY), KEY);
const variants = listVariants(book.config);

function post(variant: string | null, imageBase: string | null = null) {
  const plan = variant === null ? null : planChapter(chapter, variants.find((v) => v.name === variant)!, book.config);
  return toBlogPost(chapter, { key: KEY, config: book.config, plan, imageBase });
}

/** Every `<pre><code>` of a parsed document, as readers copy it. */
function codeBlocks(html: string, fragment = true): string[] {
  return parseHtml(html, { fragment }).elements.filter((e) => e.tag === 'pre').map((e) => e.text);
}

describe('toBlogPost: a chapter as a post', () => {
  it('makes a fragment a real HTML parser reads without an error', () => {
    for (const variant of [null, ...variants.map((v) => v.name)]) {
      const { errors, elements } = parseHtml(toBlogHtml(post(variant)), { fragment: true });
      expect(errors).toEqual([]);
      expect(elements.filter((e) => e.tag === 'h2').map((e) => e.text)).toEqual(['Finding The Ingress Gateway', 'Defining The Analysis', 'Watching The Analysis', 'What Now?']);
    }
  });

  for (const variant of variants) {
    it(`holds every command of ${variant.name}, and none of the other variants`, () => {
      const plan = planChapter(chapter, variant, book.config);
      const html = toBlogHtml(post(variant.name));
      const blocks = codeBlocks(html);
      const everything = parseHtml(html, { fragment: true }).text;
      for (const step of plan.steps) {
        if (step.included) expect(blocks.some((b) => b.includes(step.command)), `${variant.name}: line ${step.line} is missing`).toBe(true);
        else expect(everything, `${variant.name}: line ${step.line} does not apply`).not.toContain(step.command.split('\n')[0]!.trim());
      }
      // The variant's commands need no conditions: every one left applies.
      expect(blocks.join('\n')).not.toMatch(/^\s*# (?:If|Only if)\b/m);
      // A block whose commands all belong to other variants is gone; the rest came in document order.
      const expected = chapter.blocks.filter((b) => plan.steps.some((s) => s.block === b.index && s.included) || (!b.shell && b.lang !== 'mermaid' && (!b.outputOf || plan.steps.find((s) => s.id === b.outputOf)?.included)));
      expect(blocks).toHaveLength(expected.length);
    });
  }

  it('shows every command with its condition when no variant is chosen', () => {
    const blocks = codeBlocks(toBlogHtml(post(null)));
    for (const step of chapter.steps) expect(blocks.some((b) => b.includes(step.command))).toBe(true);
    for (const condition of ['# If not EKS', '# If EKS', '# Only if serverless', '# If static', '# If GKE', '# If AKS']) expect(blocks.join('\n')).toContain(condition);
    expect(blocks.join('\n')).toContain('# Press *ctrl+c* when the activity is finished');
  });

  it('keeps the content and the outputs as written, and drops the output of a command that does not apply', () => {
    const blocks = codeBlocks(toBlogHtml(post('gke-static')));
    const yaml = chapter.blocks.find((b) => b.lang === 'yaml')!;
    expect(blocks).toContain(yaml.value);
    expect(blocks).toContain(chapter.blocks.find((b) => b.outputOf !== null)!.value);
    // `# Press *ctrl+c*` speaks of the static watch: it goes with it for serverless.
    expect(codeBlocks(toBlogHtml(post('eks-serverless'))).join('\n')).not.toContain('ctrl+c');
    expect(blocks.join('\n')).toContain('# Press *ctrl+c* when the activity is finished');
  });

  it('removes author notes, annotations, the checklist, attribute lines and the title (a field of its own)', () => {
    const html = toBlogHtml(post(null));
    const text = parseHtml(html, { fragment: true }).text;
    for (const gone of ['TODO', 'Viktor', 'bookrun:', 'until=', 'Code review', '{caption', '{#canary-analysis}', 'kubectl --namespace jx-production get hpa']) expect(text).not.toContain(gone);
    expect(parseHtml(html, { fragment: true }).elements.some((e) => e.tag === 'h1')).toBe(false);
    const p = post(null);
    expect(p.title).toBe('Canary Analysis With Flagger And Istio');
    expect(p.excerpt).toMatch(/^A canary that nobody watches is just a slow rolling update\. .*…$/);
    expect(p.excerpt.length).toBeLessThanOrEqual(301);
  });

  it('turns asides into call-outs by kind, titled by their heading, and drops one about other variants', () => {
    const callouts = (variant: string) =>
      parseHtml(toBlogHtml(post(variant)), { fragment: true })
        .elements.filter((e) => e.tag === 'aside')
        .map((e) => [e.attrs.class, e.text.slice(0, 40)]);
    expect(callouts('eks-static')).toEqual([
      ['bookrun-callout bookrun-callout-info', 'All the commands from this chapter are a'],
      ['bookrun-callout bookrun-callout-warning', 'A Note To Minikube UsersIstio needs more'],
      ['bookrun-callout bookrun-callout-info', 'The commands that follow are needed only'],
    ]);
    expect(callouts('gke-static')).toHaveLength(2);
  });

  it('fills gist links from the manifest and keeps crosslinks to the chapter\'s own ids', () => {
    const links = parseHtml(toBlogHtml(post(null)), { fragment: true }).elements.filter((e) => e.tag === 'a');
    expect(links.find((a) => a.text === 'canary-analysis.sh')?.attrs.href).toBe('https://gist.github.com/bookrun-example/5b9a3c1d2e4f6a7b8c9d0e1f2a3b4c5d');
    expect(links.find((a) => a.text === 'the beginning of the chapter')?.attrs.href).toBe('#canary-analysis');
  });

  it('shows images and drawn diagrams as figures with their captions, beside the post or at --image-base', () => {
    const figures = (p: ReturnType<typeof post>) =>
      parseHtml(toBlogHtml(p), { fragment: true })
        .elements.filter((e) => e.tag === 'img')
        .map((e) => [e.attrs.src, e.attrs.alt]);
    expect(figures(post(null))).toEqual([
      ['canary-analysis/canary-analysis-figure-1.png', 'Figure 3-1: How Flagger decides, minute after minute'],
      ['canary-analysis/canary-weights.png', "Figure 3-2: The canary's weight over time"],
    ]);
    expect(figures(post(null, 'https://technologyconversations.com/wp-content/uploads/2026/12')).map(([src]) => src)).toEqual([
      'https://technologyconversations.com/wp-content/uploads/2026/12/canary-analysis-figure-1.png',
      'https://technologyconversations.com/wp-content/uploads/2026/12/canary-weights.png',
    ]);
    expect(post(null).assets).toEqual([
      { kind: 'diagram', code: chapter.blocks.find((b) => b.lang === 'mermaid')!.value, name: 'canary-analysis-figure-1.png', line: expect.any(Number) },
      { kind: 'image', from: 'docs/images/canary-weights.png', name: 'canary-weights.png', line: expect.any(Number) },
    ]);
  });

  it('lists the author notes that keep it from being published, with their lines, and not the checklist', () => {
    expect(post(null).findings).toEqual([
      { line: 17, rule: 'author-note', message: 'author note: TODO: Viktor: Add a paragraph on why we do not use Prometheus directly.' },
      { line: 133, rule: 'author-note', message: 'author note: # TODO: Check whether AKS needs a longer interval' },
    ]);
  });

  it('writes the preview as a whole page and the same post as WordPress blocks holding the same code', () => {
    const preview = parseHtml(toBlogPreview(post('eks-serverless')));
    expect(preview.errors).toEqual([]);
    expect(preview.elements.find((e) => e.tag === 'h1')?.text).toBe('Canary Analysis With Flagger And Istio');
    expect(preview.elements.some((e) => e.tag === 'script' || e.tag === 'link')).toBe(false);

    const wordpress = toBlogWordpress(post('eks-serverless'));
    // Every block opens and closes, in order, with valid JSON attributes.
    const stack: string[] = [];
    for (const m of wordpress.matchAll(/<!-- (\/?)wp:([a-z-]+)(?: (\{.*?\}))? (\/?)-->/g)) {
      if (m[3]) expect(() => JSON.parse(m[3]!)).not.toThrow();
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else if (!m[4]) stack.push(m[2]!);
    }
    expect(stack).toEqual([]);
    const parsed = parseHtml(wordpress, { fragment: true });
    expect(parsed.errors).toEqual([]);
    expect(codeBlocks(wordpress)).toEqual(codeBlocks(toBlogHtml(post('eks-serverless'))));
    // `[` is escaped in code, so `[0]` in a jsonpath is never taken for a shortcode.
    expect(wordpress).toContain('ingress&#91;0].hostname');
    expect(wordpress).toContain('<!-- wp:image {"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large"><img src="canary-analysis/canary-analysis-figure-1.png"');
    expect(wordpress).toContain('<!-- wp:group {"className":"bookrun-callout bookrun-callout-warning","style":{"color":{"background":"#fff4e0"}}} -->');
  });
});
