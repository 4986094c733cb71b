import type { SourcedValue } from '../core/check-value-sources.ts';
import { checkValue } from '../core/check-value.ts';
import type { PromptAnswer } from '../core/to-answer.ts';
import { InputError } from '../core/input-error.ts';
import { readYamlFile, type YamlLineOf } from '../book/read-yaml-file.ts';

/** A problem in a `--values` file: the CLI turns it into exit 2. */
export class ValuesFileError extends InputError {}

/** A values file read for one variant. */
export interface ValuesFile {
  /** The values that apply to the variant: its section's over the top-level pairs. */
  values: Record<string, string>;
  /** Every value in the file, every section's, with where it is (`values.yaml:3 PORT`): all are checked. */
  sources: SourcedValue[];
  /** The `secrets:` section: values like the others, but `***` in everything bookrun writes. */
  secrets: Record<string, string>;
  /** The `answers:` list: replies to prompts, in order. */
  answers: PromptAnswer[];
}

/** Top-level keys that are sections, not placeholder values. */
const SECTIONS = ['variants', 'secrets', 'answers'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalars(shown: string, lineOf: YamlLineOf, keys: string[], data: Record<string, unknown>, sources: SourcedValue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(data)) {
    if (keys.length === 0 && SECTIONS.includes(name)) continue;
    const line = lineOf([...keys, name]);
    const where = `${shown}${line ? `:${line}` : ''} ${[...keys, name].join('.')}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ValuesFileError(`${where}: not a placeholder name (letters, digits and _)`);
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else throw new ValuesFileError(`${where}: expected a string or a number`);
    sources.push({ name, value: out[name]!, from: where });
  }
  return out;
}

/**
 * Reads a `--values` YAML file: top-level `NAME: value` pairs, per-variant sections that win over them for
 * their variant, secrets (values that are `***` in everything bookrun writes) and answers to prompts:
 *
 *     PORT: 8080
 *     variants:
 *       eks-serverless:
 *         PORT: 9090
 *     secrets:
 *       GH_TOKEN: ghp_…
 *     answers:
 *       - prompt: "Continue? [y/N]"
 *         reply: y
 *       - prompt: /password for \S+:/
 *         reply: hunter2
 *
 * `shown` is how messages name the file (as given to `--values`).
 */
export async function readValuesFile(file: string, variant: string, known: string[] = [], shown = file): Promise<ValuesFile> {
  const yaml = await readYamlFile(file);
  if (!yaml.ok && yaml.kind === 'unreadable') throw new ValuesFileError(`${shown}: cannot read the values file: check the path given to --values`);
  if (!yaml.ok) throw new ValuesFileError(`${shown}${yaml.line ? `:${yaml.line}` : ''}: invalid YAML: ${yaml.message}`);
  const data = yaml.data;
  const sources: SourcedValue[] = [];
  if (data === null || data === undefined) return { values: {}, sources, secrets: {}, answers: [] };
  if (!isRecord(data)) throw new ValuesFileError(`${shown}: expected a mapping of placeholder names to values (NAME: value)`);
  const values = scalars(shown, yaml.lineOf, [], data, sources);
  const variants = data.variants;
  if (variants !== undefined && variants !== null) {
    if (!isRecord(variants)) throw new ValuesFileError(`${shown}: variants: expected a mapping of variant names to NAME: value mappings`);
    const unknown = known.length > 0 ? Object.keys(variants).filter((v) => !known.includes(v)) : [];
    if (unknown.length > 0) throw new ValuesFileError(`${shown}: variants.${unknown[0]}: unknown variant; known: ${known.join(', ')}`);
    for (const [name, section] of Object.entries(variants)) {
      if (section === undefined || section === null) continue;
      if (!isRecord(section)) throw new ValuesFileError(`${shown}: variants.${name}: expected NAME: value pairs`);
      const pairs = scalars(shown, yaml.lineOf, ['variants', name], section, sources);
      if (name === variant) Object.assign(values, pairs);
    }
  }
  let secrets: Record<string, string> = {};
  if (data.secrets !== undefined && data.secrets !== null) {
    if (!isRecord(data.secrets)) throw new ValuesFileError(`${shown}${at(yaml.lineOf, ['secrets'])}: secrets: expected NAME: value pairs`);
    secrets = scalars(shown, yaml.lineOf, ['secrets'], data.secrets, sources);
  }
  const answers: PromptAnswer[] = [];
  if (data.answers !== undefined && data.answers !== null) {
    const where = `${shown}${at(yaml.lineOf, ['answers'])}`;
    if (!Array.isArray(data.answers)) throw new ValuesFileError(`${where}: answers: expected a list of prompt: and reply: pairs`);
    for (const [i, item] of data.answers.entries()) {
      const what = `${where} answers[${i}]`;
      if (!isRecord(item) || typeof item.prompt !== 'string' || item.prompt === '' || !['string', 'number'].includes(typeof item.reply)) {
        throw new ValuesFileError(`${what}: expected prompt: (text found in the prompt, or /regex/) and reply: (what to type)`);
      }
      const unknown = Object.keys(item).find((k) => k !== 'prompt' && k !== 'reply');
      if (unknown) throw new ValuesFileError(`${what}: unknown key ${unknown}: an answer has prompt: and reply:`);
      const regex = /^\/(.*)\/([a-z]*)$/s.exec(item.prompt);
      if (regex) {
        try {
          new RegExp(regex[1]!, regex[2]!);
        } catch (error) {
          throw new ValuesFileError(`${what}: prompt ${item.prompt} is not a regular expression (${(error as Error).message})`);
        }
      }
      const reply = String(item.reply);
      // Values are data: a reply is typed into the terminal, so it may hold no control character.
      const problem = checkValue(reply);
      if (problem) throw new ValuesFileError(`${what}: the reply ${problem.message}`);
      answers.push({ prompt: item.prompt, reply });
    }
  }
  return { values, sources, secrets, answers };
}

function at(lineOf: YamlLineOf, keys: string[]): string {
  const line = lineOf(keys);
  return line ? `:${line}` : '';
}
