import { DEFAULT_OUTPUT_SENTENCES } from './book-config.ts';

const compiled = new WeakMap<readonly string[], RegExp[]>();

/**
 * Whether a paragraph introduces the output of the command before it ("The output is as follows.", "A saída
 * é a seguinte.", "La salida es la siguiente.", "Die Ausgabe ist wie folgt."), by the book's
 * `prose.outputSentences` (regular expressions, case-insensitive).
 */
export function isOutputSentence(text: string, sentences: readonly string[] = DEFAULT_OUTPUT_SENTENCES): boolean {
  let patterns = compiled.get(sentences);
  if (!patterns) {
    patterns = sentences.flatMap((source) => {
      try {
        return [new RegExp(source, 'iu')];
      } catch {
        return []; // parseBookConfig rejects a bad pattern; a hand-made config just loses it
      }
    });
    compiled.set(sentences, patterns);
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return patterns.some((p) => p.test(flat));
}
