import { quoteShellValue } from './quote-shell.ts';

/** What stands for a secret in everything bookrun writes. */
export const MASK = '***';

/**
 * The forms a secret takes in what bookrun shows: as it is, shell-quoted (a placeholder filled with it) and
 * escaped as bash's `declare -p` writes it (session state). Longest first, so a longer form is masked whole.
 */
export function toSecretForms(secret: string): string[] {
  const declared = secret.replace(/[\\"$`]/g, (c) => `\\${c}`);
  return [...new Set([secret, quoteShellValue(secret), declared])].sort((a, b) => b.length - a.length);
}

function maskText(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  return out;
}

/**
 * `value` with every secret replaced by `***`: a string, or every string inside arrays and plain objects
 * (a report, an event), keys left alone. Empty secrets are ignored. Pure; returns `value` itself when there is
 * no secret.
 */
export function toMasked<T>(value: T, secrets: readonly string[]): T {
  const forms = [...new Set(secrets.filter((s) => s !== '').flatMap(toSecretForms))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskText(v, forms);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
