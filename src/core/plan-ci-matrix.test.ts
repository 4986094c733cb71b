import { describe, expect, it } from 'vitest';
import { BookConfigError, parseBookConfig } from './book-config.ts';
import { planCiMatrix } from './plan-ci-matrix.ts';

function config(extra: Record<string, unknown>, chapters = ['docs/a.md']) {
  return parseBookConfig({ chapters, variants: { dimensions: { cloud: ['gke', 'eks'] } }, ...extra }, 'bookrun.yaml');
}

describe('planCiMatrix', () => {
  it('refuses secret and variable names no CI accepts, naming the key', () => {
    expect(() => planCiMatrix(config({ ci: { secrets: { 'GH-TOKEN': 'X' } } }))).toThrow(BookConfigError);
    expect(() => planCiMatrix(config({ ci: { secrets: { GH_TOKEN: 'GITHUB_TOKEN' } } }))).toThrow(/bookrun.yaml: ci.secrets.GH_TOKEN: "GITHUB_TOKEN" is not a valid secret name/);
    expect(() => planCiMatrix(config({ ci: { secrets: { A: 'A' }, vars: { A: 'A' } } }))).toThrow(/set twice/);
    expect(() => planCiMatrix(config({}, []))).toThrow(/no chapters/);
  });

  it('resolves each variant\'s setup: ci.setup, then the setup gist\'s URL, else a message', () => {
    const m = planCiMatrix(
      config({
        gists: { setup: { gke: 'gke.sh', eks: 'eks.sh' }, urls: { 'gke.sh': 'https://gist.github.com/a/ff00', 'eks.sh': null } },
      }),
    );
    expect(m.variants.map((v) => v.setup.kind)).toEqual(['command', 'missing']);
    expect(m.variants[0].setup).toMatchObject({ command: 'curl -fsSL https://gist.github.com/a/ff00/raw/gke.sh -o "${RUNNER_TEMP:-/tmp}/gke.sh"\nbash "${RUNNER_TEMP:-/tmp}/gke.sh"' });
    expect(m.warnings[0]).toBe('setup gist eks.sh for variant eks has no URL yet: publish it and set gists.urls.eks.sh, or set ci.setup.eks in bookrun.yaml');
    const overridden = planCiMatrix(config({ gists: { setup: { gke: 'gke.sh' } }, ci: { setup: { gke: 'make cluster', eks: '' } } }));
    expect(overridden.variants.map((v) => v.setup)).toEqual([{ kind: 'command', command: 'make cluster', source: 'ci.setup.gke' }, { kind: 'none' }]);
  });

  it('gives clashing chapter stems their path as slug', () => {
    const m = planCiMatrix(config({ ci: { setup: { gke: '', eks: '' } } }, ['part1/intro.md', 'part2/intro.md']));
    expect(m.variants[0].chapters.map((c) => c.slug)).toEqual(['part1-intro', 'part2-intro']);
    expect(m.warnings).toEqual([]);
  });
});
