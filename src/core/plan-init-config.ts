import { DEFAULT_OUTPUT_SENTENCES, type BookConfig, type Dimension } from './book-config.ts';
import { chapterGistName, findGistLinks } from './gist-links.ts';
import type { Chapter } from './model.ts';

/** The dimensions authors of this genre write conditions in, each value in its usual order. */
export const GENRE_DIMENSIONS: readonly Dimension[] = [
  { name: 'cloud', values: ['gke', 'eks', 'aks', 'existing', 'minikube', 'docker-desktop', 'kind', 'openshift', 'minishift'] },
  { name: 'flavor', values: ['static', 'serverless'] },
];

/** Words authors use for a value of those dimensions (`# If Tekton`, `# If Docker For Desktop`). */
export const GENRE_ALIASES: Readonly<Record<string, string>> = {
  tekton: 'serverless',
  prow: 'static',
  'docker for desktop': 'docker-desktop',
  'docker desktop': 'docker-desktop',
  'docker-for-desktop': 'docker-desktop',
  gcp: 'gke',
  google: 'gke',
  aws: 'eks',
  azure: 'aks',
};

/** The value a dimension gets when a chapter names only one of its values: the conditions need a case where they do not hold. */
const OTHER_VALUE: Readonly<Record<string, (found: string) => string>> = {
  cloud: (found) => (found === 'existing' ? 'gke' : 'existing'),
  flavor: (found) => (found === 'static' ? 'serverless' : 'static'),
};

/** The config `bookrun init` reads chapters with: the genre's dimensions, unknown conditions kept. */
export function toInitReadConfig(): Pick<BookConfig, 'dimensions' | 'aliases' | 'unknownConditions' | 'outputSentences' | 'variantName' | 'gists'> {
  return {
    dimensions: GENRE_DIMENSIONS.map((d) => ({ name: d.name, values: [...d.values] })),
    variantName: '{cloud}-{flavor}',
    aliases: { ...GENRE_ALIASES },
    unknownConditions: { severity: 'info', include: true },
    outputSentences: [...DEFAULT_OUTPUT_SENTENCES],
    gists: {},
  };
}

/** A chapter as init sees it: its key (relative to the book root) and its parse. */
export interface InitChapter {
  key: string;
  chapter: Chapter;
}

/** A condition token init could not put into a dimension, with every place it appears. */
export interface UnplacedToken {
  token: string;
  places: Array<{ file: string; line: number }>;
}

/** What `bookrun init` proposes for a book's config. */
export interface InitPlan {
  dimensions: Dimension[];
  variantName: string;
  /** The aliases the chapters use (`tekton: serverless`). */
  aliases: Record<string, string>;
  /** Per dimension value: where the chapters name it (for the report). */
  evidence: Record<string, Array<{ file: string; line: number }>>;
  unplaced: UnplacedToken[];
  /** Variant → setup gist, from the chapters' links to gists that create a cluster (`gke-jx-serverless.sh`). */
  setup: Record<string, string>;
  /** Every gist the chapters link to, with its URL when the link has one. */
  urls: Record<string, string | null>;
  /** Dimensions padded with a value no chapter names (a single `# If EKS` needs a cluster that is not EKS). */
  padded: Array<{ dimension: string; value: string }>;
}

function variantName(dimensions: Dimension[]): string {
  return dimensions.map((d) => `{${d.name}}`).join('-');
}

/** The variant a setup gist's file name stands for (`eks-jx-serverless.sh` → eks + serverless), or null. */
function variantOfGist(name: string, dimensions: Dimension[]): Record<string, string> | null {
  const words = name.toLowerCase().replace(/\.sh$/, '').split(/[-_.]+/);
  const joined = words.join('-');
  const values: Record<string, string> = {};
  for (const dim of dimensions) {
    if (dim.name === 'flavor') {
      values.flavor = words.includes('serverless') || words.includes('tekton') ? 'serverless' : 'static';
      continue;
    }
    const hit = dim.values.find((v) => (v.includes('-') ? joined.includes(v) : words.includes(v)));
    // `install.sh`, `install-serverless.sh`: the genre's setup for a cluster the reader already has.
    if (hit) values[dim.name] = hit;
    else if (dim.name === 'cloud' && words[0] === 'install' && dim.values.includes('existing')) values.cloud = 'existing';
    else return null;
  }
  return values;
}

/**
 * Infers a book's variant matrix from the conditions its chapters use (`# If EKS`, `# If NOT serverless`,
 * asides "only if you are using **GKE**"): each token goes into the genre's dimension it belongs to (clouds,
 * Jenkins X flavors), tokens that belong to none are listed for the author; and the setup gists from the
 * chapters' gist links, by the cloud and flavor their file names name. Pure.
 */
export function planInitConfig(chapters: InitChapter[]): InitPlan {
  const read = toInitReadConfig();
  const evidence: InitPlan['evidence'] = {};
  const unplaced = new Map<string, UnplacedToken>();
  const aliases: Record<string, string> = {};
  for (const { key, chapter } of chapters) {
    const conditions = new Map<number, NonNullable<Chapter['steps'][number]['condition']>>();
    for (const step of chapter.steps) if (step.condition) conditions.set(step.condition.line, step.condition);
    for (const condition of conditions.values()) {
      for (const token of condition.tokens) {
        if (condition.unknown.includes(token)) {
          const entry = unplaced.get(token) ?? { token, places: [] };
          entry.places.push({ file: key, line: condition.line });
          unplaced.set(token, entry);
        } else {
          (evidence[token] ??= []).push({ file: key, line: condition.line });
        }
      }
      const said = condition.source.toLowerCase();
      for (const [alias, value] of Object.entries(read.aliases)) {
        if (new RegExp(`(^|[^a-z-])${alias.replace(/[-\s]/g, '[-\\s]')}([^a-z-]|$)`).test(said)) aliases[alias] = value;
      }
    }
  }
  const padded: InitPlan['padded'] = [];
  let dimensions: Dimension[] = [];
  for (const dim of GENRE_DIMENSIONS) {
    const values = dim.values.filter((v) => evidence[v]);
    if (values.length === 0) continue;
    if (values.length === 1) {
      const other = OTHER_VALUE[dim.name]!(values[0]!);
      padded.push({ dimension: dim.name, value: other });
      values.push(other);
      values.sort((a, b) => dim.values.indexOf(a) - dim.values.indexOf(b));
    }
    dimensions.push({ name: dim.name, values });
  }
  // A book without conditions still has one variant: the reader's own cluster.
  if (dimensions.length === 0) dimensions = [{ name: 'cloud', values: ['existing'] }];
  for (const alias of Object.keys(aliases)) {
    if (!dimensions.some((d) => d.values.includes(aliases[alias]!))) delete aliases[alias];
  }

  const own = new Set(chapters.map((c) => chapterGistName(c.key)));
  const setup: Record<string, string> = {};
  const urls: Record<string, string | null> = {};
  const name = variantName(dimensions);
  for (const { chapter } of chapters) {
    for (const link of findGistLinks(chapter, read)) {
      if (!link.gist) continue;
      const url = /^https?:\/\//.test(link.url.trim()) ? link.url.trim() : null;
      if (!(link.gist in urls) || (urls[link.gist] === null && url)) urls[link.gist] = url;
      if (own.has(link.gist)) continue;
      const values = variantOfGist(link.gist, dimensions);
      if (!values) continue;
      const variant = name.replace(/\{([^}]*)\}/g, (_, d: string) => values[d] ?? '');
      setup[variant] ??= link.gist;
    }
  }
  return {
    dimensions,
    variantName: name,
    aliases,
    evidence,
    unplaced: [...unplaced.values()].sort((a, b) => a.token.localeCompare(b.token)),
    setup,
    urls,
    padded,
  };
}
