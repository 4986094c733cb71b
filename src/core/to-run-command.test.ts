import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toFileWrite } from './to-file-write.ts';
import { toRunCommand } from './to-run-command.ts';

describe('toRunCommand and toFileWrite: what a headless run types', () => {
  it('types the command as written, or the file write for an editor, or a subshell in a Runme cwd', () => {
    expect(toRunCommand({ command: 'ls', annotations: {} })).toBe('ls');
    expect(toRunCommand({ command: 'vim a.yaml', annotations: {}, edit: { file: 'a.yaml', editor: 'vim', line: 5, text: 'a: 1\n' } })).toBe("cat > a.yaml <<'EOF'\na: 1\nEOF");
    expect(toRunCommand({ command: 'npm ci', annotations: { cwd: './my app' } })).toBe("(cd -- './my app' && npm ci)");
    expect(toRunCommand({ command: 'cat <<EOF\nx\nEOF', annotations: { cwd: 'app' } })).toBe('(\ncd -- app || exit\ncat <<EOF\nx\nEOF\n)');
  });

  it('picks a delimiter the content does not hold, and bash writes the content byte for byte', () => {
    const text = '#!/usr/bin/env bash\ncat <<EOF > report.txt\nBacked up on $(date) by $USER `id`\nEOF\nEOF_1\n';
    const command = toFileWrite({ file: 'backup.sh', text });
    expect(command.split('\n')[0]).toBe("cat > backup.sh <<'EOF_2'");
    const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-write-'));
    try {
      const run = spawnSync('bash', ['--noprofile', '--norc', '-c', command], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir } });
      expect(run.status).toBe(0);
      expect(readFileSync(path.join(dir, 'backup.sh'), 'utf8')).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
