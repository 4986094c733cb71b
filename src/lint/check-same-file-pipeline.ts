/** A file one pipeline both reads and writes, with the 1-based line (within the command) of the writer. */
export interface SameFilePipeline {
  file: string;
  line: number;
}

interface Token {
  text: string;
  /** Whether the token is an operator (`|`, `>`, `;`…) rather than a word. */
  op: boolean;
  line: number;
}

/** Splits a command into words and operators, honouring quotes, escapes and `\` continuations. */
function tokenize(command: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  let line = 1;
  let wordLine = 1;
  const push = () => {
    if (inWord) tokens.push({ text: word, op: false, line: wordLine });
    word = '';
    inWord = false;
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (c === '\\') {
      if (command[i + 1] === '\n') {
        i++;
        line++;
        continue;
      }
      if (!inWord) wordLine = line;
      word += command[i + 1] ?? '';
      inWord = true;
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      if (!inWord) wordLine = line;
      inWord = true;
      const end = command.indexOf(c, i + 1);
      const stop = end < 0 ? command.length : end;
      const quoted = command.slice(i + 1, stop);
      line += quoted.split('\n').length - 1;
      word += quoted;
      i = stop;
      continue;
    }
    if (c === '#' && !inWord) {
      const end = command.indexOf('\n', i);
      i = (end < 0 ? command.length : end) - 1;
      continue;
    }
    if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>' || c === '(' || c === ')') {
      push();
      let op = c;
      const two = command.slice(i, i + 2);
      if (['||', '&&', '>>', '<<', '>|', '&>'].includes(two)) {
        op = two;
        i++;
      }
      tokens.push({ text: op, op: true, line });
      if (c === '\n') line++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      push();
      continue;
    }
    if (!inWord) wordLine = line;
    word += c;
    inWord = true;
  }
  push();
  return tokens;
}

/** Commands that take a script or pattern as their first operand (unless given with -e/-f). */
const SCRIPTED = new Set(['sed', 'awk', 'gawk', 'grep', 'egrep', 'fgrep', 'jq', 'yq', 'perl']);
/** Commands whose operands are files they read. */
const READERS = new Set(['cat', 'sed', 'awk', 'gawk', 'grep', 'egrep', 'fgrep', 'head', 'tail', 'sort', 'uniq', 'cut', 'jq', 'yq', 'wc', 'less', 'more', 'perl', 'envsubst']);

/**
 * Finds files that one pipeline reads and writes (`cat main.go | sed … | tee main.go`): the shell opens
 * the writer's file (truncating it) while the reader may not have read it yet, so the result depends on
 * timing and is often an empty file. ShellCheck's SC2094 misses the `tee` form, so bookrun checks it itself.
 */
export function checkSameFilePipeline(command: string): SameFilePipeline[] {
  const tokens = tokenize(command);
  const found: SameFilePipeline[] = [];
  let reads = new Set<string>();
  let writes: Array<{ file: string; line: number }> = [];
  let segment: Token[] = [];
  const endSegment = () => {
    // Words of the command itself: operators and redirection targets left out.
    const words = segment.filter((t, k) => !t.op && !(segment[k - 1]?.op && /^[<>&]/.test(segment[k - 1]!.text)));
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.text)) i++;
    const name = words[i]?.text.split('/').pop() ?? '';
    const args = words.slice(i + 1);
    if (name === 'tee') {
      for (const a of args) if (!a.text.startsWith('-')) writes.push({ file: a.text, line: a.line });
    } else if (READERS.has(name)) {
      let scriptGiven = !SCRIPTED.has(name);
      for (let k = 0; k < args.length; k++) {
        const a = args[k]!.text;
        if (a === '-e' || a === '-f' || a === '--expression' || a === '--file') {
          scriptGiven = true;
          k++;
          continue;
        }
        if (a.startsWith('-')) continue;
        if (!scriptGiven) {
          scriptGiven = true;
          continue;
        }
        reads.add(a);
      }
    }
    // Redirections anywhere in the segment.
    for (let k = 0; k < segment.length; k++) {
      const t = segment[k]!;
      const next = segment[k + 1];
      if (!t.op || !next || next.op) continue;
      if (t.text === '<') reads.add(next.text);
      if (t.text === '>' || t.text === '>>' || t.text === '>|' || t.text === '&>') writes.push({ file: next.text, line: next.line });
    }
    segment = [];
  };
  const endPipeline = () => {
    endSegment();
    for (const w of writes) if (reads.has(w.file)) found.push({ file: w.file, line: w.line });
    reads = new Set();
    writes = [];
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.op && t.text === '|') {
      endSegment();
      // A line break right after `|` continues the pipeline.
      while (tokens[k + 1]?.op && tokens[k + 1]!.text === '\n') k++;
    } else if (t.op && ['\n', ';', '&&', '||', '&', '(', ')'].includes(t.text)) endPipeline();
    else segment.push(t);
  }
  endPipeline();
  return found;
}
