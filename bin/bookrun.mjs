#!/usr/bin/env node
// Runs the TypeScript CLI straight from source: no build step between `npm install` and `npx bookrun`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/bin.ts');
