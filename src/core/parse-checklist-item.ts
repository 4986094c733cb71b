import { listVariants, type BookConfig } from './book-config.ts';
import type { ItemRule } from './status-model.ts';

/** Words that may sit in a "Code review …" item without naming a dimension value. */
const FILLER = new Set(['cluster', 'clusters', 'on', 'the', 'a', 'an', 'and', 'with', 'for', 'in', 'of', 'variant', 'variants', 'all', 'x']);

/** A blog's name as people write it: `TechnologyConversations.com`, `www.technologyconversations.com`, `https://…/`. */
function siteName(text: string): string {
  return text.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/[/.\s]+$/, '').trim();
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * Reads what a `## TODO` checklist item means: "Code review static GKE" → the variant(s) with those
 * dimension values (words matched against the book's dimension values and condition aliases, so
 * "serverless EKS", "EKS serverless", "eks-serverless" and "tekton EKS" all name one variant; naming
 * fewer dimensions names every matching variant), "Gist", "Review titles", "Text review",
 * "Add to Book.txt", "Diagrams", "Publish on <the book's blog.name>"; anything else is the author's tick.
 */
export function parseChecklistItem(
  text: string,
  config: Pick<BookConfig, 'dimensions' | 'variantName' | 'aliases'> & Partial<Pick<BookConfig, 'blog'>>,
): ItemRule {
  const t = normalise(text);
  if (t === 'diagrams' || t === 'diagram' || t === 'figures') return { kind: 'diagrams' };
  const publish = /^publish (?:it )?(?:on|to) (.+)$/.exec(t);
  const blog = config.blog?.name ?? null;
  if (publish && blog !== null && siteName(publish[1]!) === siteName(blog)) return { kind: 'blog', blog };
  if (publish && blog === null && !/leanpub/.test(publish[1]!)) {
    return { kind: 'manual', note: `set blog.name in bookrun.yaml to "${text.replace(/^\s*publish\s+(?:it\s+)?(?:on|to)\s+/i, '').trim()}" so bookrun export blog proves it` };
  }
  if (t === 'gist' || t === 'gists') return { kind: 'gist' };
  if (t === 'review titles' || t === 'review headings' || t === 'titles review') return { kind: 'review-titles' };
  if (t === 'text review' || t === 'review text') return { kind: 'text-review' };
  if (/^add (it )?to book\.txt$/.test(t)) return { kind: 'book-order' };
  const review = /^code review\b(.*)$/.exec(t);
  if (!review) return { kind: 'manual' };
  const words = review[1].split(/[^a-z0-9]+/).filter(Boolean);
  const wanted: Record<string, string> = {};
  const unknown: string[] = [];
  for (const word of words) {
    const value = config.aliases[word] ?? word;
    const dim = config.dimensions.find((d) => d.values.includes(value));
    if (!dim) {
      if (!FILLER.has(word)) unknown.push(word);
      continue;
    }
    if (wanted[dim.name] && wanted[dim.name] !== value) {
      return { kind: 'manual', note: `names two values of ${dim.name} (${wanted[dim.name]}, ${value}): split it into one item per variant` };
    }
    wanted[dim.name] = value;
  }
  if (unknown.length > 0) {
    const values = config.dimensions.map((d) => `${d.name}: ${d.values.join(', ')}`).join('; ');
    return { kind: 'manual', note: `"${unknown.join(' ')}" is not a value of the book's variants (${values})` };
  }
  const variants = listVariants(config)
    .filter((v) => Object.entries(wanted).every(([dim, value]) => v.values[dim] === value))
    .map((v) => v.name);
  return { kind: 'code-review', variants };
}
