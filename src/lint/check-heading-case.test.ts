import { describe, expect, it } from 'vitest';
import { checkHeadingCase } from './check-heading-case.ts';

describe('checkHeadingCase', () => {
  it('every-word, as the genre writes it: every word capitalised, minor words included', () => {
    expect(checkHeadingCase('Creating A Kubernetes Cluster With Jenkins X And Importing The Application', 'every-word')).toBeNull();
    expect(checkHeadingCase('What Now?', 'every-word')).toBeNull();
    expect(checkHeadingCase('Visualizing the Rollout', 'every-word')).toEqual({ expected: 'Visualizing The Rollout', words: ['the'] });
  });

  it('leaves code, emphasised names, ids and words with digits or dots alone', () => {
    expect(checkHeadingCase('Using `kubectl` With *go-demo-6* {#usage}', 'every-word')).toBeNull();
    expect(checkHeadingCase('Upgrading To v1.2 Of jx-go-demo-6.yaml', 'every-word')).toBeNull();
  });

  it('keeps command names in their case in every style', () => {
    const keep = new Set(['ps', 'kill']);
    expect(checkHeadingCase('Finding Processes With ps And Stopping Them With kill', 'every-word', keep)).toBeNull();
    expect(checkHeadingCase('Finding Processes with ps and Stopping Them with kill', 'chicago', keep)).toBeNull();
    expect(checkHeadingCase('Finding processes with ps', 'sentence', keep)).toBeNull();
    expect(checkHeadingCase('Finding Processes With ps', 'every-word')).toEqual({ expected: 'Finding Processes With Ps', words: ['ps'] });
  });

  it('chicago: minor words lower case, except first, last and after a colon; other words capitalised', () => {
    expect(checkHeadingCase('Visualizing the Rollout', 'chicago')).toBeNull();
    expect(checkHeadingCase('Creating A Cluster With Jenkins X And Importing The Application', 'chicago')).toEqual({
      expected: 'Creating a Cluster with Jenkins X and Importing the Application',
      words: ['A', 'With', 'And', 'The'],
    });
    expect(checkHeadingCase('Canary deployments: the Basics', 'chicago')).toEqual({ expected: 'Canary Deployments: The Basics', words: ['deployments', 'the'] });
    expect(checkHeadingCase('What to Look For', 'chicago')).toBeNull();
    expect(checkHeadingCase('Setting Up the Cluster', 'chicago')).toBeNull();
  });

  it('sentence case only wants the first word capitalised; off checks nothing', () => {
    expect(checkHeadingCase('Visualizing the rollout', 'sentence')).toBeNull();
    expect(checkHeadingCase('visualizing the rollout', 'sentence')).toEqual({ expected: 'Visualizing the rollout', words: ['visualizing'] });
    expect(checkHeadingCase('visualizing the rollout', 'off')).toBeNull();
  });
});

describe('checkHeadingCase rewrites by position', () => {
  it('changes only the word that is off when the same word appears twice', () => {
    expect(checkHeadingCase('The Pods And The Services', 'chicago')).toEqual({ expected: 'The Pods and the Services', words: ['And', 'The'] });
  });
});
