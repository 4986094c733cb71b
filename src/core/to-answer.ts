/** An answer to a prompt (`answers:` in a values file): `prompt` is plain text found in the prompt, or `/regex/flags`. */
export interface PromptAnswer {
  prompt: string;
  reply: string;
}

/** Whether an answer's prompt (plain text, or `/regex/flags`) fits the prompt a command shows. */
function fits(pattern: string, prompt: string): boolean {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (!re) return prompt.includes(pattern);
  try {
    return new RegExp(re[1]!, re[2]!.replace(/[gy]/g, '')).test(prompt);
  } catch {
    return false;
  }
}

/**
 * What to type (before Enter) when a command waits for keyboard input showing `prompt` (the last line of its
 * output) for the `waits`-th time (0 first): the step's own `input="…"` replies first (in order, the last one
 * again and again), else the first answer whose prompt fits; null when nothing answers it. Pure.
 */
export function toAnswer(prompt: string, waits: number, inputs: readonly string[], answers: readonly PromptAnswer[]): string | null {
  if (inputs.length > 0) return inputs[Math.min(waits, inputs.length - 1)]!;
  for (const answer of answers) if (fits(answer.prompt, prompt)) return answer.reply;
  return null;
}
