/** File editors a reader runs on a file the chapter then shows (never `kubectl edit`: that edits a live object). */
const EDITOR = /^(?:sudo\s+(?:-\S+\s+)*)?(vim|vi|nvim|nano|emacs|pico|micro|joe|mcedit|gedit|kate|code|subl|\$\{?(?:EDITOR|VISUAL)\}?)((?:\s+(?:\+\S*|-[A-Za-z]+))*)\s+([^\s|;&<>()$`'"]+)\s*$/;

/**
 * Whether a command line opens an editor on one file (`vim secret.yml`, `nano +12 app.yaml`, `$EDITOR x.sh`,
 * `sudo vi /etc/hosts`): the editor and the file, or null.
 */
export function detectEditor(line: string): { editor: string; file: string } | null {
  const m = EDITOR.exec(line.trim());
  // `code .` opens a folder, not a file the chapter could show.
  if (!m || /^\.{1,2}$|\/$/.test(m[3]!)) return null;
  return { editor: m[1]!, file: m[3]! };
}
