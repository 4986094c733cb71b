/** What a `#` comment line inside a shell block means to bookrun. */
export type CommentKind =
  | { kind: 'condition'; text: string }
  | { kind: 'terminal'; action: 'in' | 'open' | 'go'; terminal: number }
  | { kind: 'interrupt' }
  | { kind: 'retry'; phrase: string }
  | { kind: 'wait' }
  | { kind: 'annotation'; text: string; offset: number }
  | { kind: 'note'; note: 'todo' | 'note'; text: string }
  | { kind: 'comment'; text: string };

const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, new: 2, separate: 2, another: 2, other: 2 };
const TERMINAL_RE =
  /^(in|open|go\s+to|go\s+back\s+to|back\s+to|return\s+to|switch\s+to|switch\s+back\s+to)\s+(?:a|an|the)\s+\*{0,2}(first|second|third|new|separate|another|other)\*{0,2}\s+terminal\b/i;
const INTERRUPT_RE = /ctrl\s*\+\s*c|\^C\b/i;
const RETRY_RE = /^repeat\s+(?:if|while|until\s+not)\s+(?:`([^`]+)`|"([^"]+)"|'([^']+)'|(.+?))\s*[.!]?$/i;
const WAIT_RE = /^(?:after\s+(?:a\s+)?(?:few|couple\s+of|some|several|\d+)?\s*(?:minutes?|seconds?|moments?|while)\b|wait\s+(?:until|for|till)\b)/i;
const NOTE_RE = /^(TODO|NOTE)\b\s*:?\s*/i;

/**
 * Classifies the text of a comment line (without the leading `#`, trimmed).
 * `# NOTE: Go to the second terminal` is a terminal switch (the note prefix is ignored for it).
 */
export function classifyComment(text: string): CommentKind {
  const annotation = /^bookrun:\s*/i.exec(text);
  if (annotation) return { kind: 'annotation', text: text.slice(annotation[0].length), offset: annotation[0].length };
  const note = NOTE_RE.exec(text);
  const body = note ? text.slice(note[0].length) : text;
  const terminal = TERMINAL_RE.exec(body);
  if (terminal) {
    const verb = terminal[1]!.toLowerCase().replace(/\s+/g, ' ');
    const n = ORDINALS[terminal[2]!.toLowerCase()] ?? 2;
    const action = verb === 'in' ? 'in' : verb === 'open' ? 'open' : 'go';
    return { kind: 'terminal', action, terminal: verb.includes('back') ? 1 : n };
  }
  if (note) return { kind: 'note', note: note[1]!.toLowerCase() as 'todo' | 'note', text };
  if (/^(?:only\s+)?if\s+\S/i.test(text)) return { kind: 'condition', text };
  if (INTERRUPT_RE.test(text)) return { kind: 'interrupt' };
  const retry = RETRY_RE.exec(text);
  if (retry) return { kind: 'retry', phrase: (retry[1] ?? retry[2] ?? retry[3] ?? retry[4] ?? '').trim() };
  if (WAIT_RE.test(text)) return { kind: 'wait' };
  return { kind: 'comment', text };
}
