/** `{lang="bash",linenos=off}` (LFM) → `{format: bash, line-numbers: false}` (Markua 0.30). */
export function toMarkuaAttributes(values: Record<string, string>): string {
  const out: string[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const value = raw.replace(/^["']|["']$/g, '');
    if (key === 'lang') out.push(`format: ${value}`);
    else if (key === 'linenos' || key === 'line-numbers') out.push(`line-numbers: ${value === 'on' || value === 'true' ? 'true' : 'false'}`);
    else if (key === 'starting-line-number') out.push(`number-from: ${value}`);
    else if (key === 'title') out.push(`title: "${value.replace(/"/g, '\\"')}"`);
    else out.push(`${key.toLowerCase()}: ${/^[\w.%-]+$/.test(value) ? value : `"${value.replace(/"/g, '\\"')}"`}`);
  }
  return `{${out.join(', ')}}`;
}
