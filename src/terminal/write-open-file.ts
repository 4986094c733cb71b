import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readSelfOwner, type ProcessOwner } from './read-machine-facts.ts';

/** Names of opener files: `open-PORT.html`. */
export const OPEN_FILE_PATTERN = /^open-\d+\.html$/;

const OWNER = /<!-- bookrun-owner (\{[^\n]*\}) -->/;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Writes `DIR/open-PORT.html` (0600, atomically): a page that sends the browser on to `url`, which holds the
 * token. The browser opener is then given this file's path, so the token is never in any process's arguments
 * (where `ps` shows it to every user), as Jupyter does with its runtime folder. The file names its owner (this
 * process), so a server started after a crash removes it. Returns its path.
 */
export function writeOpenFile(dir: string, url: string): string {
  const port = new URL(url).port || '80';
  const file = path.join(dir, `open-${port}.html`);
  const href = escapeHtml(url);
  const html = [
    '<!doctype html>',
    `<!-- bookrun-owner ${JSON.stringify(readSelfOwner())} -->`,
    '<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${href}">`,
    '<title>Opening the book…</title></head>',
    `<body><p>Opening the book… If nothing happens, <a href="${href}">open it here</a>.</p></body></html>`,
    '',
  ].join('\n');
  const temp = path.join(dir, `.open-${port}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(temp, html, { mode: 0o600 });
  renameSync(temp, file);
  return file;
}

/** The owner an opener file names, or null (not one of ours, or damaged). */
export function readOpenFileOwner(file: string): ProcessOwner | null {
  try {
    const match = OWNER.exec(readFileSync(file, 'utf8'));
    if (!match) return null;
    const owner = JSON.parse(match[1]!) as ProcessOwner;
    return Number.isInteger(owner.pid) && Number.isInteger(owner.startTime) && typeof owner.host === 'string' ? owner : null;
  } catch {
    return null;
  }
}
