/**
 * Whether a line opens structured data or a file's content rather than a command: a YAML key (`apiVersion: v1`,
 * `metadata:`), a YAML list item or document marker, JSON (`{`, `[`), an INI section, a shebang, XML, a
 * Dockerfile instruction (`FROM node:20`).
 */
export function looksLikeData(line: string): boolean {
  const text = line.trim();
  if (text === '') return false;
  if (/^[\w.-]+:(?:\s|$)/.test(text) && !/^[\w.-]+:\/\//.test(text)) return true;
  if (/^(?:---|\.\.\.)\s*$/.test(text) || /^- [\w"'{[]/.test(text)) return true;
  if (/^[{[]\s*$/.test(text) || /^\{\s*"/.test(text) || /^\[\s*[{"\d]/.test(text)) return true;
  if (/^\[[\w. -]+\]$/.test(text) || text.startsWith('#!') || /^<[?!A-Za-z]/.test(text)) return true;
  return /^(?:FROM|RUN|CMD|COPY|ADD|ENTRYPOINT|WORKDIR|ENV|EXPOSE|ARG|USER|LABEL|VOLUME)\s/.test(text);
}
