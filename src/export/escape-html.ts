/** Text as HTML text or a double-quoted attribute value: `&`, `<`, `>` and `"` escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
