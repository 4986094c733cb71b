import type { InitPlan } from './plan-init-config.ts';

/** What `bookrun init` writes into a new bookrun.yaml. */
export interface InitConfigText {
  title: string;
  /** `manuscript/Book.txt` (the author keeps one list), or the chapter files found, in order. */
  chapters: string | string[];
  plan: InitPlan;
  /** `gists.dir` when the book's gists sit beside its chapters, else null (the default `gists/`). */
  gistsDir: string | null;
}

/** A YAML scalar: plain when that reads back as the same string, else double-quoted (JSON is valid YAML). */
function scalar(value: string): string {
  return /^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && !/\s$/.test(value) && !/^\d/.test(value)
    ? value
    : JSON.stringify(value);
}

function where(places: Array<{ file: string; line: number }>): string {
  const shown = places.slice(0, 3).map((p) => `${p.file}:${p.line}`).join(', ');
  return places.length > 3 ? `${shown} and ${places.length - 3} more` : shown;
}

/**
 * The text of the bookrun.yaml `bookrun init` proposes, with comments that say where each part came from
 * and what the author should check (tokens init could not place, a value no chapter names). Pure.
 */
export function toInitYaml(input: InitConfigText): string {
  const { plan } = input;
  const out: string[] = [];
  out.push('# The book config, written by `bookrun init`: check it, then commit it. Every bookrun command reads it.');
  out.push(`title: ${scalar(input.title)}`);
  if (typeof input.chapters === 'string') {
    out.push(`# The chapters, in order, are the ones ${input.chapters} lists: edit that file, bookrun follows it.`);
    out.push(`chapters: ${scalar(input.chapters)}`);
  } else {
    out.push('# The chapters in book order (found in the book; reorder or remove as needed).');
    out.push(input.chapters.length === 0 ? 'chapters: []' : 'chapters:');
    for (const c of input.chapters) out.push(`  - ${scalar(c)}`);
  }
  out.push('variants:');
  out.push('  # Inferred from the conditions the chapters use (`# If EKS`, `# If serverless`, asides naming a cluster).');
  out.push('  dimensions:');
  for (const dim of plan.dimensions) {
    out.push(`    ${dim.name}: [${dim.values.map(scalar).join(', ')}]`);
    for (const value of dim.values) {
      const seen = plan.evidence[value];
      if (seen) out.push(`    #   ${value}: ${where(seen)}`);
      else if (plan.padded.some((p) => p.dimension === dim.name && p.value === value)) out.push(`    #   ${value}: named by no chapter; added so the conditions on ${dim.name} have a case where they do not hold`);
    }
  }
  out.push(`  name: ${JSON.stringify(plan.variantName)}`);
  const first = plan.variantName.replace(/\{([^}]*)\}/g, (_, d: string) => plan.dimensions.find((x) => x.name === d)?.values[0] ?? '');
  out.push(`  default: ${scalar(first)}`);
  out.push('conditions:');
  const aliases = Object.entries(plan.aliases);
  out.push(aliases.length === 0 ? '  aliases: {}' : '  aliases:');
  for (const [alias, value] of aliases) out.push(`    ${scalar(alias)}: ${scalar(value)}`);
  if (plan.unplaced.length > 0) {
    out.push('  # Condition tokens init could not place in a dimension: make each an alias of a value above,');
    out.push('  # add it as a value, or leave it to readers (such steps stay in every plan and are reported).');
    for (const u of plan.unplaced) out.push(`  #   "${u.token}": ${where(u.places)}`);
  }
  out.push('  unknown:');
  out.push('    severity: warning');
  out.push('    include: true');
  out.push('gists:');
  if (input.gistsDir) {
    out.push("  # The book's published gists sit beside its chapters: `bookrun gists --check` compares them.");
    out.push(`  dir: ${scalar(input.gistsDir)}`);
  }
  const setup = Object.entries(plan.setup);
  out.push('  # The gist that creates (or prepares) each variant\'s cluster, from the chapters\' gist links.');
  out.push(setup.length === 0 ? '  setup: {}' : '  setup:');
  for (const [variant, gist] of setup) out.push(`    ${scalar(variant)}: ${scalar(gist)}`);
  out.push('  # Gist file → published URL (null until published).');
  const urls = Object.entries(plan.urls);
  out.push(urls.length === 0 ? '  urls: {}' : '  urls:');
  for (const [gist, url] of urls) out.push(`    ${scalar(gist)}: ${url === null ? 'null' : scalar(url)}`);
  out.push('leanpub:');
  out.push('  format: lfm');
  return `${out.join('\n')}\n`;
}
