/** A `##` section title as a gist banner: `####…`, `# Title #`, `####…`. */
export function toBanner(title: string): string[] {
  const middle = `# ${title} #`;
  const rule = '#'.repeat(middle.length);
  return [rule, middle, rule];
}
