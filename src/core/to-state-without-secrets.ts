import { toSecretForms } from './to-masked.ts';

/**
 * A session-state dump without the declarations that hold a secret (in any form bash writes it: as is, or
 * escaped by `declare -p`): secrets never reach the disk, and a resumed run is given them again. `separator`
 * is the line bash wrote before each declaration. Pure.
 */
export function toStateWithoutSecrets(dump: string, secrets: readonly string[], separator: string): string {
  const forms = secrets.filter((s) => s !== '').flatMap(toSecretForms);
  if (forms.length === 0) return dump;
  const holds = (text: string) => forms.some((f) => text.includes(f));
  const [head = '', ...declarations] = dump.split(`\n${separator}\n`);
  // The head is the header line and the folder: a folder named after a secret is left out too.
  const [header = '', ...folder] = head.split('\n');
  const kept = holds(folder.join('\n')) ? header : head;
  return [kept, ...declarations.filter((d) => !holds(d))].join(`\n${separator}\n`);
}
