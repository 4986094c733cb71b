import { describe, expect, it } from 'vitest';
import { toMasked } from './to-masked.ts';
import { toStateWithoutSecrets } from './to-state-without-secrets.ts';

describe('toMasked and toStateWithoutSecrets', () => {
  it('replaces every form of a secret (as is, shell-quoted, declare -p escaped) with *** in strings and nested data', () => {
    const secret = `it's $ecret`;
    const report = { command: `TOKEN='it'\\''s $ecret'`, steps: [{ output: `token: it's $ecret\n`, diff: 'declare -- T="it'+"'"+'s \\$ecret"' }], n: 3 };
    expect(toMasked(report, [secret])).toEqual({ command: 'TOKEN=***', steps: [{ output: 'token: ***\n', diff: 'declare -- T="***"' }], n: 3 });
    expect(toMasked('nothing to hide', [])).toBe('nothing to hide');
  });

  it('drops the saved declarations holding a secret, keeping the others', () => {
    const sep = '#bookrun-declaration';
    const dump = ['#bookrun-state 12', 'builtin cd -- /work', sep, 'declare -- NAME="reader"', sep, 'declare -x GH_TOKEN="ghp_abc123"', sep, 'declare -- AUTH="Bearer ghp_abc123"', sep, 'greet () \n{ \n    echo hi\n}', ''].join('\n');
    const kept = toStateWithoutSecrets(dump, ['ghp_abc123'], sep);
    expect(kept).not.toContain('ghp_abc123');
    expect(kept).toContain('declare -- NAME="reader"');
    expect(kept).toContain('greet ()');
    expect(kept.startsWith('#bookrun-state 12\nbuiltin cd -- /work\n')).toBe(true);
  });
});
