import { describe, expect, it } from 'vitest';
import { checkHeadingCase } from './check-heading-case.ts';

describe('checkHeadingCase', () => {
  it('title case as the genre writes it: every word capitalised, minor words included', () => {
    expect(checkHeadingCase('Creating A Kubernetes Cluster With Jenkins X And Importing The Application', 'title')).toBeNull();
    expect(checkHeadingCase('What Now?', 'title')).toBeNull();
    expect(checkHeadingCase('Visualizing the Rollout', 'title')).toEqual({ expected: 'Visualizing The Rollout', words: ['the'] });
  });

  it('leaves code, emphasised names, ids and words with digits or dots alone', () => {
    expect(checkHeadingCase('Using `kubectl` With *go-demo-6* {#usage}', 'title')).toBeNull();
    expect(checkHeadingCase('Upgrading To v1.2 Of jx-go-demo-6.yaml', 'title')).toBeNull();
  });

  it('sentence case only wants the first word capitalised; off checks nothing', () => {
    expect(checkHeadingCase('Visualizing the rollout', 'sentence')).toBeNull();
    expect(checkHeadingCase('visualizing the rollout', 'sentence')).toEqual({ expected: 'Visualizing the rollout', words: ['visualizing'] });
    expect(checkHeadingCase('visualizing the rollout', 'off')).toBeNull();
  });
});
