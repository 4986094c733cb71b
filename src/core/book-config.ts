import { InputError } from './input-error.ts';
import { suggestName } from './suggest-name.ts';
import type { Variant } from './model.ts';

/** One dimension of the variant matrix, e.g. `cloud` = gke, eks, aks, existing. */
export interface Dimension {
  name: string;
  values: string[];
}

/** What to do with a condition whose token is not a value of the matrix (`# If already cloned`). */
export interface UnknownConditionPolicy {
  /** Diagnostic severity, or `off` for none. */
  severity: 'error' | 'warning' | 'info' | 'off';
  /** Whether a step under such a condition is included in plans (the reader decides; default true). */
  include: boolean;
}

/** Per-book settings for the Leanpub export. */
export interface LeanpubSettings {
  /** Chapter files (as listed in `chapters`) that make up the free sample. */
  sample: string[];
  /** Files placed before the chapters, in front matter (`{frontmatter}` is written as its own file). */
  frontmatter: string[];
  /** Files after the chapters, in back matter. */
  backmatter: string[];
  /** Whether to write `frontmatter.txt` / `mainmatter.txt` / `backmatter.txt` directive files. */
  matter: boolean;
  format: 'lfm' | 'markua';
}

/** Settings for `bookrun ci`. */
export interface CiSettings {
  /** Repository secrets exported to each job's environment: ENV_NAME → secret name. */
  secrets: Record<string, string>;
  /** Repository variables exported to each job: ENV_NAME → variable name (placeholder values). */
  vars: Record<string, string>;
  /** Per variant: the command (usually a setup gist) that creates or selects the cluster. */
  setup: Record<string, string>;
  /** Per variant: the command that always runs at the end of a job. */
  teardown: Record<string, string>;
  /** Extra `bookrun run` arguments. */
  runArgs: string[];
}

/** Per-book settings for `bookrun export blog`: the blog the author publishes chapters on. */
export interface BlogSettings {
  /** The blog's name as the checklist writes it ("Publish on TechnologyConversations.com"); null: no blog. */
  name: string | null;
  /** Where posts' images will live (the default of `--image-base`), e.g. the blog's uploads folder; null: relative. */
  imageBase: string | null;
}

/**
 * The book config (`bookrun.yaml`): the single source of truth for chapter order, the variant matrix and
 * per-book settings. Produced by {@link parseBookConfig} from the YAML's data.
 */
export interface BookConfig {
  /** Path of the config file, as given (for messages). */
  file: string;
  title: string;
  /**
   * Chapter files relative to the config's folder, in book order. With `chapters: manuscript/Book.txt` the
   * book reader (`readBook`) fills them from that list (front, main and back matter, as Leanpub orders them).
   */
  chapters: string[];
  /** `chapters: manuscript/Book.txt`: the Leanpub list the chapters come from (relative to the config's folder), else null. */
  chaptersFile: string | null;
  dimensions: Dimension[];
  /** Variant name template, `{cloud}-{flavor}`. */
  variantName: string;
  /** The variant shown first on the site and used when none is given. */
  defaultVariant: string;
  /** Condition token → dimension value (`tekton` → `serverless`). Keys lower case. */
  aliases: Record<string, string>;
  unknownConditions: UnknownConditionPolicy;
  /** Per variant: the setup gist file that creates its cluster (`gke-jx-gloo.sh`). */
  setupGists: Record<string, string>;
  /** Gists manifest: gist file name → published URL (null until published). */
  gists: Record<string, string | null>;
  /**
   * `gists.dir`: the folder holding the book's gist files (`<chapter>.sh`), relative to the config's folder:
   * where `bookrun gists` writes and what `--check` and `bookrun status` compare. Default `gists`; a book in
   * Leanpub's layout often keeps its published gists beside the chapters (`manuscript`).
   */
  gistsDir: string;
  /**
   * Heading capitalisation the lint checks: `every-word` (every word capitalised, minor words included: the
   * genre's habit; `title` in bookrun.yaml is its alias), `chicago` (Chicago title case: minor words lower case),
   * `sentence`, or `off`.
   */
  headingCase: HeadingCase;
  /**
   * `prose.outputSentences`: regular expressions (case-insensitive) for the sentences that introduce the
   * expected output of the command before them ("The output is as follows.", "A saída é a seguinte.").
   * Defaults to {@link DEFAULT_OUTPUT_SENTENCES} (English, Portuguese, Spanish, German).
   */
  outputSentences: string[];
  leanpub: LeanpubSettings;
  blog: BlogSettings;
  ci: CiSettings;
  /** Where `bookrun run` writes reports and `bookrun status` reads them, relative to the config's folder. */
  reportsDir: string;
  /**
   * `run.teardownSections`: regular expressions (case-insensitive) for the headings of sections whose steps
   * delete what the chapter created; `bookrun run` runs them after a failure too. Default
   * {@link DEFAULT_TEARDOWN_SECTIONS}.
   */
  teardownSections: string[];
}

/** Headings of the genre's teardown sections: "What Now?", "Cleaning Up", "Destroying the Cluster", "Tearing Down". */
export const DEFAULT_TEARDOWN_SECTIONS: readonly string[] = [
  String.raw`^what now\??$`,
  String.raw`^clean(?:ing)?[ -]?up\b`,
  String.raw`^destroy(?:ing)?\b`,
  String.raw`^tear(?:ing)?[ -]?down\b`,
  String.raw`^delet(?:e|ing) (?:the|every|all|everything)\b`,
];

/** Heading capitalisation styles of `style.headingCase` (`title` is read as `every-word`). */
export type HeadingCase = 'every-word' | 'chicago' | 'sentence' | 'off';

/**
 * Sentences that introduce the output of the command before them, as regular expressions (matched
 * case-insensitively): English, Portuguese, Spanish and German, as authors of those books write them.
 */
export const DEFAULT_OUTPUT_SENTENCES: readonly string[] = [
  // English: "The output is as follows.", "The output should be similar to the one that follows.", "You should see", "Results:"
  String.raw`\b(?:output|result|response)\b[^.]*\b(?:as follows|that follows|below|similar to|like the one|should be)\b`,
  String.raw`\bshould (?:see|get|output)\b`,
  String.raw`^\s*(?:results?|output|example output|sample output)\s*:\s*$`,
  // Portuguese: "A saída é a seguinte.", "A saída deve ser semelhante à que segue.", "Você verá algo como"
  String.raw`\b(?:a saída|o resultado|a resposta)\b[^.]*(?:seguinte|que segue|abaixo|semelhante|parecid[ao]|deve ser)`,
  String.raw`\b(?:deverá|deveria|deve|vai) ver\b|\bverá (?:a|o|algo)\b`,
  // Spanish: "La salida es la siguiente.", "La salida debería ser similar a la siguiente.", "Deberías ver"
  String.raw`\b(?:la salida|el resultado|la respuesta)\b[^.]*(?:siguiente|a continuación|abajo|similar|parecid[ao]|debería ser)`,
  String.raw`\bdeber(?:ías|ía|íamos) ver\b|\bverás (?:la|el|algo)\b`,
  // German: "Die Ausgabe ist wie folgt.", "Die Ausgabe sollte in etwa so aussehen.", "Sie sollten Folgendes sehen"
  String.raw`\b(?:die Ausgabe|das Ergebnis|die Antwort)\b[^.]*(?:wie folgt|folgende|unten|ähnlich|so aus|lautet|sollte)`,
  String.raw`\bsollte[nt]?\b[^.]*\b(?:sehen|erhalten)\b`,
];

/** A problem in the book config: names the key and what to write instead. */
export class BookConfigError extends InputError {
  constructor(
    readonly file: string,
    readonly key: string,
    message: string,
  ) {
    super(`${file}: ${key}: ${message}`);
  }
}

type Raw = Record<string, unknown>;

/** Where a key of the config's YAML sits: its line, or null (data that came from no file). */
export type ConfigLineOf = (keys: readonly string[]) => number | null;

/** The keys each level of the config knows; levels not listed (dimension names, aliases, URLs) are free. */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': ['title', 'chapters', 'variants', 'conditions', 'gists', 'style', 'prose', 'leanpub', 'blog', 'ci', 'reportsDir', 'run'],
  variants: ['dimensions', 'name', 'default'],
  conditions: ['aliases', 'unknown'],
  'conditions.unknown': ['severity', 'include'],
  gists: ['setup', 'urls', 'dir'],
  style: ['headingCase'],
  prose: ['outputSentences'],
  leanpub: ['sample', 'frontmatter', 'backmatter', 'matter', 'format'],
  blog: ['name', 'imageBase'],
  ci: ['secrets', 'vars', 'setup', 'teardown', 'runArgs'],
  run: ['teardownSections'],
};

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds errors that name the file, the line of the key (when known) and the dotted key. */
function errorsFor(file: string, lineOf: ConfigLineOf | undefined) {
  return (keys: readonly string[], message: string) => {
    const line = keys.length > 0 ? (lineOf?.(keys) ?? null) : null;
    return new BookConfigError(line ? `${file}:${line}` : file, keys.length > 0 ? keys.join('.') : '(top level)', message);
  };
}

type Fail = ReturnType<typeof errorsFor>;

function stringList(fail: Fail, keys: string[], value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw fail(keys, 'expected a list of strings');
  return value as string[];
}

function stringMap(fail: Fail, keys: string[], value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw fail(keys, 'expected a mapping of names to strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw fail([...keys, k], 'expected a string');
    out[k] = v;
  }
  return out;
}

function oneOf<T extends string>(fail: Fail, keys: string[], value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw fail(keys, `expected one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** An unknown key, with the known one it was probably meant to be. */
function unknownKey(fail: Fail, keys: string[], known: readonly string[], what: string): BookConfigError {
  const key = keys[keys.length - 1]!;
  const guess = suggestName(key, known);
  return fail(keys, `unknown ${what}${guess ? `: did you mean ${guess}?` : ''} (${what === 'key' ? `${keys.length > 1 ? keys.slice(0, -1).join('.') : 'top-level'} keys` : 'known'}: ${known.join(', ')})`);
}

/** Every level of the config holds only the keys bookrun reads: a typo is an error, never silently ignored. */
function checkKnownKeys(fail: Fail, raw: Raw): void {
  for (const [level, known] of Object.entries(KNOWN_KEYS)) {
    const keys = level === '' ? [] : level.split('.');
    let node: unknown = raw;
    for (const k of keys) node = isRecord(node) ? node[k] : undefined;
    if (!isRecord(node)) continue;
    for (const key of Object.keys(node)) if (!known.includes(key)) throw unknownKey(fail, [...keys, key], known, 'key');
  }
}

/**
 * Validates the data of a book config (already parsed from YAML) and fills defaults. `lineOf` (from the
 * YAML reader) puts the line of the offending key in messages: `bookrun.yaml:12: leanpub.smaple: …`.
 * Throws {@link BookConfigError} naming the key on bad input, an unknown key included ("did you mean").
 */
export function parseBookConfig(raw: unknown, file: string, options: { lineOf?: ConfigLineOf } = {}): BookConfig {
  const fail = errorsFor(file, options.lineOf);
  if (!isRecord(raw)) throw fail([], 'expected a mapping with at least `chapters` and `variants`');
  checkKnownKeys(fail, raw);
  // `chapters: manuscript/Book.txt`: one list, Leanpub's, which the book reader reads.
  const chaptersFile = typeof raw.chapters === 'string' ? raw.chapters.trim() : null;
  if (chaptersFile !== null && !/\.txt$/i.test(chaptersFile)) {
    throw fail(['chapters'], `expected a list of chapter files or a Leanpub list such as manuscript/Book.txt; got ${JSON.stringify(raw.chapters)}`);
  }
  const chapters = chaptersFile === null ? stringList(fail, ['chapters'], raw.chapters) : [];
  const variants = raw.variants ?? {};
  if (!isRecord(variants)) throw fail(['variants'], 'expected a mapping with `dimensions`');
  const dimsRaw = variants.dimensions ?? {};
  if (!isRecord(dimsRaw)) throw fail(['variants', 'dimensions'], 'expected a mapping such as `cloud: [gke, eks]`');
  const dimensions: Dimension[] = Object.entries(dimsRaw).map(([name, values]) => {
    const list = stringList(fail, ['variants', 'dimensions', name], values).map((v) => v.toLowerCase());
    if (list.length === 0) throw fail(['variants', 'dimensions', name], 'needs at least one value');
    return { name, values: list };
  });
  const variantName =
    typeof variants.name === 'string' ? variants.name : dimensions.map((d) => `{${d.name}}`).join('-');
  for (const match of variantName.matchAll(/\{([^}]*)\}/g)) {
    if (!dimensions.some((d) => d.name === match[1])) {
      throw fail(['variants', 'name'], `{${match[1]}} is not a dimension (dimensions: ${dimensions.map((d) => d.name).join(', ')})`);
    }
  }
  const partial = { dimensions, variantName };
  const all = listVariants(partial);
  const names = all.map((v) => v.name);
  const defaultVariant = typeof variants.default === 'string' ? variants.default : (all[0]?.name ?? 'default');
  if (all.length > 0 && !names.includes(defaultVariant)) {
    const guess = suggestName(defaultVariant, names);
    throw fail(['variants', 'default'], `unknown variant ${defaultVariant}${guess ? `: did you mean ${guess}?` : ''}; known: ${names.join(', ')}`);
  }
  const perVariant = (keys: string[], map: Record<string, string>) => {
    for (const variant of Object.keys(map)) if (!names.includes(variant)) throw unknownKey(fail, [...keys, variant], names, 'variant');
    return map;
  };
  const conditions = isRecord(raw.conditions) ? raw.conditions : {};
  const aliases: Record<string, string> = {};
  for (const [k, v] of Object.entries(stringMap(fail, ['conditions', 'aliases'], conditions.aliases))) {
    aliases[k.toLowerCase()] = v.toLowerCase();
  }
  const unknownRaw = isRecord(conditions.unknown) ? conditions.unknown : {};
  const unknownConditions: UnknownConditionPolicy = {
    severity: oneOf(fail, ['conditions', 'unknown', 'severity'], unknownRaw.severity, ['error', 'warning', 'info', 'off'] as const, 'warning'),
    include: unknownRaw.include === undefined ? true : Boolean(unknownRaw.include),
  };
  const gistsRaw = isRecord(raw.gists) ? raw.gists : {};
  const gists: Record<string, string | null> = {};
  if (gistsRaw.urls !== undefined && gistsRaw.urls !== null && !isRecord(gistsRaw.urls)) {
    throw fail(['gists', 'urls'], 'expected a mapping of gist file names to URLs');
  }
  for (const [k, v] of Object.entries(isRecord(gistsRaw.urls) ? gistsRaw.urls : {})) {
    if (v !== null && typeof v !== 'string') throw fail(['gists', 'urls', k], 'expected a URL or null');
    gists[k] = (v as string | null) || null;
  }
  const setupGists = perVariant(['gists', 'setup'], stringMap(fail, ['gists', 'setup'], gistsRaw.setup));
  if (gistsRaw.dir !== undefined && (typeof gistsRaw.dir !== 'string' || gistsRaw.dir.trim() === '')) {
    throw fail(['gists', 'dir'], 'expected a folder, relative to the book config (such as gists, or manuscript when the gists sit beside the chapters)');
  }
  const gistsDir = typeof gistsRaw.dir === 'string' ? gistsRaw.dir.trim().replace(/\/+$/, '') : 'gists';
  const style = isRecord(raw.style) ? raw.style : {};
  const headingCase = oneOf(fail, ['style', 'headingCase'], style.headingCase, ['every-word', 'title', 'chicago', 'sentence', 'off'] as const, 'every-word');
  const prose = isRecord(raw.prose) ? raw.prose : {};
  const outputSentences = prose.outputSentences === undefined ? [...DEFAULT_OUTPUT_SENTENCES] : stringList(fail, ['prose', 'outputSentences'], prose.outputSentences);
  for (const [i, source] of outputSentences.entries()) {
    try {
      new RegExp(source, 'iu');
    } catch (error) {
      throw fail(['prose', 'outputSentences', String(i)], `not a regular expression (${(error as Error).message}): write the sentence, with \\. for a literal dot`);
    }
  }
  const lp = isRecord(raw.leanpub) ? raw.leanpub : {};
  if (raw.blog !== undefined && raw.blog !== null && !isRecord(raw.blog)) throw fail(['blog'], 'expected a mapping such as `name: TechnologyConversations.com`');
  const blogRaw = isRecord(raw.blog) ? raw.blog : {};
  const optionalString = (keys: string[], value: unknown): string | null => {
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string') throw fail(keys, 'expected a string');
    return value;
  };
  const imageBase = optionalString(['blog', 'imageBase'], blogRaw.imageBase);
  if (imageBase !== null && !/^https?:\/\/[^\s]+$/.test(imageBase)) throw fail(['blog', 'imageBase'], `expected an http(s) URL such as https://example.com/wp-content/uploads/; got ${JSON.stringify(imageBase)}`);
  const ci = isRecord(raw.ci) ? raw.ci : {};
  const runRaw = isRecord(raw.run) ? raw.run : {};
  const teardownSections = runRaw.teardownSections === undefined ? [...DEFAULT_TEARDOWN_SECTIONS] : stringList(fail, ['run', 'teardownSections'], runRaw.teardownSections);
  for (const source of teardownSections) {
    try {
      new RegExp(source, 'iu');
    } catch (error) {
      throw fail(['run', 'teardownSections'], `${JSON.stringify(source)} is not a regular expression (${(error as Error).message}): write the heading, such as "^what now"`);
    }
  }
  return {
    file,
    title: typeof raw.title === 'string' ? raw.title : 'Untitled book',
    chapters,
    chaptersFile,
    dimensions,
    variantName,
    defaultVariant,
    aliases,
    unknownConditions,
    setupGists,
    gists,
    gistsDir,
    headingCase: headingCase === 'title' ? 'every-word' : headingCase,
    outputSentences,
    leanpub: {
      sample: stringList(fail, ['leanpub', 'sample'], lp.sample),
      frontmatter: stringList(fail, ['leanpub', 'frontmatter'], lp.frontmatter),
      backmatter: stringList(fail, ['leanpub', 'backmatter'], lp.backmatter),
      matter: lp.matter === undefined ? false : Boolean(lp.matter),
      format: oneOf(fail, ['leanpub', 'format'], lp.format, ['lfm', 'markua'] as const, 'lfm'),
    },
    blog: { name: optionalString(['blog', 'name'], blogRaw.name), imageBase },
    ci: {
      secrets: stringMap(fail, ['ci', 'secrets'], ci.secrets),
      vars: stringMap(fail, ['ci', 'vars'], ci.vars),
      setup: perVariant(['ci', 'setup'], stringMap(fail, ['ci', 'setup'], ci.setup)),
      teardown: perVariant(['ci', 'teardown'], stringMap(fail, ['ci', 'teardown'], ci.teardown)),
      runArgs: stringList(fail, ['ci', 'runArgs'], ci.runArgs),
    },
    reportsDir: typeof raw.reportsDir === 'string' ? raw.reportsDir : '.bookrun/reports',
    teardownSections,
  };
}

/** Every variant of the matrix (the cartesian product of the dimensions), in config order. */
export function listVariants(config: Pick<BookConfig, 'dimensions' | 'variantName'>): Variant[] {
  let combos: Array<Record<string, string>> = [{}];
  for (const dim of config.dimensions) {
    combos = combos.flatMap((combo) => dim.values.map((value) => ({ ...combo, [dim.name]: value })));
  }
  return combos.map((values) => ({
    name: config.variantName.replace(/\{([^}]*)\}/g, (_, dim: string) => values[dim] ?? ''),
    values,
  }));
}

/** Result of resolving a `--variant` argument. */
export type VariantLookup = { ok: true; variant: Variant } | { ok: false; message: string };

/**
 * Finds a variant by name (`eks-serverless`) or by values (`cloud=eks,flavor=serverless`);
 * on failure the message lists the known variants.
 */
export function resolveVariant(config: Pick<BookConfig, 'dimensions' | 'variantName'>, spec: string): VariantLookup {
  const all = listVariants(config);
  const known = `known variants: ${all.map((v) => v.name).join(', ')}`;
  const trimmed = spec.trim();
  if (trimmed.includes('=')) {
    const values: Record<string, string> = {};
    for (const pair of trimmed.split(',')) {
      const [dim, value] = pair.split('=').map((s) => s.trim());
      if (!dim || !value) return { ok: false, message: `bad variant "${spec}": expected dim=value,dim=value; ${known}` };
      const dimension = config.dimensions.find((d) => d.name === dim);
      if (!dimension) {
        return { ok: false, message: `unknown dimension "${dim}" in "${spec}"; dimensions: ${config.dimensions.map((d) => `${d.name} (${d.values.join(', ')})`).join('; ')}` };
      }
      if (!dimension.values.includes(value.toLowerCase())) {
        return { ok: false, message: `unknown value "${value}" for ${dim}; values: ${dimension.values.join(', ')}` };
      }
      values[dim] = value.toLowerCase();
    }
    const found = all.find((v) => Object.entries(values).every(([k, val]) => v.values[k] === val));
    const missing = config.dimensions.filter((d) => !(d.name in values)).map((d) => d.name);
    if (missing.length > 0) return { ok: false, message: `variant "${spec}" is missing ${missing.join(', ')}; ${known}` };
    return found ? { ok: true, variant: found } : { ok: false, message: `unknown variant "${spec}"; ${known}` };
  }
  const found = all.find((v) => v.name.toLowerCase() === trimmed.toLowerCase());
  return found ? { ok: true, variant: found } : { ok: false, message: `unknown variant "${spec}"; ${known}` };
}
