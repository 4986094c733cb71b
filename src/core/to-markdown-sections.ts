/** A stretch of a chapter's Markdown that parses alone exactly as it parses in the whole: its text, first line and offset. */
export interface MarkdownSection {
  /** 1-based line of its first line in the chapter. */
  line: number;
  /** Offset of its first character in the chapter's text. */
  offset: number;
  text: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^#{1,6}(?:[ \t]|$)/;
/** A link reference definition (`[id]: url`) is global to the document: a chapter holding one is parsed whole. */
const DEFINITION = /^ {0,3}\[[^\]]+\]:/;
/**
 * HTML blocks that a blank line does not end (CommonMark's types 1 to 5: `<pre>`, `<script>`, `<style>`,
 * `<textarea>`, comments, `<?…?>`, `<!X…>`, CDATA), each with what ends it.
 */
const RAW_HTML: Array<{ open: RegExp; close: RegExp }> = [
  { open: /^ {0,3}<(?:pre|script|style|textarea)(?:[\s>]|$)/i, close: /<\/(?:pre|script|style|textarea)>/i },
  { open: /^ {0,3}<!--/, close: /-->/ },
  { open: /^ {0,3}<\?/, close: /\?>/ },
  { open: /^ {0,3}<![A-Za-z]/, close: />/ },
  { open: /^ {0,3}<!\[CDATA\[/, close: /\]\]>/ },
];

/**
 * Cuts a chapter's Markdown before every ATX heading at the start of a line (`## Title`) that follows a blank line and stands outside
 * a fenced code block and a raw HTML block (comments, `<pre>`): there every CommonMark block has ended, so each
 * section parses alone into exactly the nodes the whole would give it. A chapter with a link reference
 * definition is not cut (null): definitions are global to a document. The sections, joined, are the text.
 */
export function toMarkdownSections(text: string): MarkdownSection[] | null {
  const sections: MarkdownSection[] = [];
  let start = 0;
  let startLine = 1;
  let fence: string | null = null;
  let rawHtml: RegExp | null = null;
  let previousBlank = true;
  let offset = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (fence !== null) {
      const close = FENCE.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length && line.slice(close[0].length).trim() === '') fence = null;
    } else if (rawHtml !== null) {
      if (rawHtml.test(line)) rawHtml = null;
    } else {
      if (DEFINITION.test(line)) return null;
      const open = FENCE.exec(line);
      if (open) {
        // A backtick fence whose info string holds a backtick is no fence (CommonMark).
        if (!(open[1]![0] === '`' && line.slice(open[0].length).includes('`'))) fence = open[1]!;
      } else if (RAW_HTML.some((h) => h.open.test(line))) {
        const html = RAW_HTML.find((h) => h.open.test(line))!;
        // It may end on the line it opens (`<!-- @skip -->`): look after the opening.
        const opening = html.open.exec(line)![0];
        rawHtml = html.close.test(line.slice(opening.length)) ? null : html.close;
      } else if (ATX.test(line) && previousBlank && offset > start) {
        sections.push({ line: startLine, offset: start, text: text.slice(start, offset) });
        start = offset;
        startLine = i + 1;
      }
    }
    previousBlank = line.trim() === '';
    offset += raw.length + 1;
  }
  sections.push({ line: startLine, offset: start, text: text.slice(start) });
  return sections;
}
