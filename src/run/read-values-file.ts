import { InputError } from '../core/input-error.ts';
import { readYamlFile } from '../book/read-yaml-file.ts';

/** A problem in a `--values` file: the CLI turns it into exit 2. */
export class ValuesFileError extends InputError {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalars(file: string, where: string, data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(data)) {
    if (where === '' && name === 'variants') continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ValuesFileError(`${file}: ${where}${name}: not a placeholder name (letters, digits and _)`);
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else throw new ValuesFileError(`${file}: ${where}${name}: expected a string or a number`);
  }
  return out;
}

/**
 * Reads a `--values` YAML file: top-level `NAME: value` pairs, plus per-variant sections that win over
 * them for their variant:
 *
 *     PORT: 8080
 *     variants:
 *       eks-serverless:
 *         PORT: 9090
 */
export async function readValuesFile(file: string, variant: string, known: string[] = []): Promise<Record<string, string>> {
  const yaml = await readYamlFile(file);
  if (!yaml.ok && yaml.kind === 'unreadable') throw new ValuesFileError(`${file}: cannot read the values file: check the path given to --values`);
  if (!yaml.ok) throw new ValuesFileError(`${file}${yaml.line ? `:${yaml.line}` : ''}: invalid YAML: ${yaml.message}`);
  const data = yaml.data;
  if (data === null || data === undefined) return {};
  if (!isRecord(data)) throw new ValuesFileError(`${file}: expected a mapping of placeholder names to values (NAME: value)`);
  const values = scalars(file, '', data);
  const variants = data.variants;
  if (variants !== undefined && variants !== null) {
    if (!isRecord(variants)) throw new ValuesFileError(`${file}: variants: expected a mapping of variant names to NAME: value mappings`);
    const unknown = known.length > 0 ? Object.keys(variants).filter((v) => !known.includes(v)) : [];
    if (unknown.length > 0) throw new ValuesFileError(`${file}: variants.${unknown[0]}: unknown variant; known: ${known.join(', ')}`);
    const section = variants[variant];
    if (section !== undefined && section !== null) {
      if (!isRecord(section)) throw new ValuesFileError(`${file}: variants.${variant}: expected NAME: value pairs`);
      Object.assign(values, scalars(file, `variants.${variant}.`, section));
    }
  }
  return values;
}
