import { InputError } from '../core/input-error.ts';
import { parsePublishedIndex } from '../core/parse-published-index.ts';
import { parsePublishedPlan } from '../core/parse-published-plan.ts';
import { PUBLISHED_PLANS_META, type PublishedPlan } from '../core/published-plan.ts';
import type { PublishedBook } from './published-step-source.ts';

/** A book URL `bookrun connect` cannot use: unreachable, not a bookrun book, or its plans missing or damaged. */
export class PublishedBookError extends InputError {}

/** Options of {@link readPublishedBook}. */
export interface ReadPublishedBookOptions {
  /** How long one request may take. Default 15 s. */
  timeoutMs?: number;
  /** The most bytes of one file. Default 16 MiB. */
  maxBytes?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The value of attribute `name` in one tag: quoted either way, or bare (minified HTML drops the quotes). */
function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3] ?? null) : null;
}

/** Finds `<meta name="bookrun-plans" content="…">` in a page (attributes in either order, quoted or not). */
function findPlansMeta(html: string): string | null {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    if (attribute(tag, 'name') !== PUBLISHED_PLANS_META) continue;
    const content = attribute(tag, 'content');
    if (content) return content.replace(/&amp;/g, '&');
  }
  return null;
}

/**
 * Fetches a published book's plans the way `bookrun connect` trusts them: the page at `bookUrl` names its index
 * (`<meta name="bookrun-plans">`), the index names each chapter's plan, and every file must come from the
 * book's own origin (a redirect elsewhere, or an index naming another host, is refused). Each file is checked
 * ({@link parsePublishedIndex}, {@link parsePublishedPlan}). Throws {@link PublishedBookError} (exit 2) with the
 * reason: unreachable, an HTTP error, not a bookrun book, a missing or damaged plan.
 */
export async function readPublishedBook(bookUrl: string, options: ReadPublishedBookOptions = {}): Promise<PublishedBook> {
  let url: URL;
  try {
    url = new URL(bookUrl);
  } catch {
    throw new PublishedBookError(`${bookUrl}: not a URL: pass the book's address as your browser shows it (https://…)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PublishedBookError(`${bookUrl}: not a web address: pass the book's https:// URL`);
  // Browsers let no page served over plain http from another host reach 127.0.0.1 (Local Network Access).
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    throw new PublishedBookError(`${bookUrl}: a book served over http:// from another host can never reach your terminal (browsers block it): use its https:// address`);
  }
  url.hash = '';
  const origin = url.origin;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;

  const get = async (target: URL, what: string): Promise<string> => {
    let response: Response;
    try {
      response = await fetch(target, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs), headers: { accept: what === 'page' ? 'text/html' : 'application/json' } });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new PublishedBookError(`${target.href}: cannot reach the book (${why}): check the URL and your connection`);
    }
    if (new URL(response.url || target.href).origin !== origin) {
      throw new PublishedBookError(`${target.href} redirects to ${response.url}: bookrun connect trusts exactly one origin: pass the book's address after the redirect`);
    }
    if (!response.ok) {
      const hint = what === 'page' ? 'check the URL' : 'the book was built without published plans (rebuild it with this bookrun) or is not fully deployed';
      throw new PublishedBookError(`${target.href}: HTTP ${response.status} ${response.statusText}: ${hint}`);
    }
    const text = await response.text();
    if (text.length > maxBytes) throw new PublishedBookError(`${target.href}: larger than ${Math.round(maxBytes / 1024 / 1024)} MiB: not a bookrun file`);
    return text;
  };
  const json = async (target: URL): Promise<unknown> => {
    const text = await get(target, 'json');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new PublishedBookError(`${target.href}: not JSON (${(error as Error).message}): the book's published plans are damaged; rebuild it`);
    }
  };

  const page = await get(url, 'page');
  const meta = findPlansMeta(page);
  if (!meta) {
    throw new PublishedBookError(`${url.href}: no published plans (no <meta name="${PUBLISHED_PLANS_META}"> in the page): it is not a bookrun book, or was built by a bookrun too old to publish them`);
  }
  const indexUrl = new URL(meta, url);
  if (indexUrl.origin !== origin) throw new PublishedBookError(`${url.href}: its plans are on another origin (${indexUrl.origin}): bookrun connect trusts only ${origin}`);
  const index = parsePublishedIndex(await json(indexUrl));
  if (!index.ok) throw new PublishedBookError(`${indexUrl.href}: ${index.message}`);
  const plans = new Map<string, PublishedPlan>();
  for (const entry of index.value.chapters) {
    const planUrl = new URL(entry.plan, indexUrl);
    if (planUrl.origin !== origin) throw new PublishedBookError(`${indexUrl.href}: the plan of ${entry.chapter} is on another origin`);
    const plan = parsePublishedPlan(await json(planUrl));
    if (!plan.ok) throw new PublishedBookError(`${planUrl.href}: ${plan.message}: the book's published plans are damaged; rebuild it`);
    if (plan.value.chapter.file !== entry.chapter) throw new PublishedBookError(`${planUrl.href}: holds the plan of ${plan.value.chapter.file}, not of ${entry.chapter}`);
    plans.set(entry.chapter, plan.value);
  }
  return { url: url.href, origin, index: index.value, plans };
}
