/**
 * Turns what a terminal program wrote into the text a reader sees, for reports and matching: no ANSI
 * escape sequences (colours, cursor moves, OSC titles and sentinels), `\r\n` → `\n`, and a line
 * rewritten with `\r` (progress bars) keeps only its last version. Other control characters are dropped.
 */
export function toPlainText(raw: string): string {
  const noEscapes = raw
    // OSC … BEL or ST
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    // CSI sequences
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    // other two-character escapes (charset selection takes one more character)
    .replace(/\x1b[()*+][0-9A-Za-z]/g, '')
    .replace(/\x1b[@-Z\\-_=>78]/g, '')
    .replace(/\x1b/g, '');
  return noEscapes
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => {
      const cr = line.lastIndexOf('\r');
      const visible = cr >= 0 ? lastNonEmptySegment(line) : line;
      // Backspaces erase the character before them, as on screen.
      let out = visible;
      while (out.includes('\x08')) out = out.replace(/[^\x08]\x08|^\x08+/, '');
      return out.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
    })
    .join('\n');
}

function lastNonEmptySegment(line: string): string {
  const parts = line.split('\r');
  for (let i = parts.length - 1; i >= 0; i -= 1) if (parts[i] !== '') return parts[i];
  return '';
}
