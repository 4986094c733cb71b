import { describe, expect, it } from 'vitest';
import { provisionTestTools } from './provision-test-tools.ts';
import { TEST_TOOLS, type TestTool } from './test-tools.ts';

const absent: TestTool = { purpose: 'the browser tests', debianPackage: 'chromium', present: () => false };
const here: TestTool = { purpose: 'every shell test', debianPackage: 'bash', present: () => true };

describe('provisionTestTools', () => {
  it('stops before any test with the exact install command when it may not install', async () => {
    const result = await provisionTestTools({ tools: [absent, here], mayInstall: false, log: () => undefined });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('chromium    for the browser tests');
    expect(result.message).toMatch(/apt-get install -y chromium$/m);
    expect(result.message).not.toContain('bash ');
  });

  it('has nothing to do when every tool is here', async () => {
    expect(await provisionTestTools({ tools: [here], mayInstall: false })).toEqual({ ok: true, installed: [] });
  });

  it('finds every tool the suite needs on this machine (npm test provisioned them)', () => {
    expect(TEST_TOOLS.filter((t) => !t.present()).map((t) => t.debianPackage)).toEqual([]);
  });
});
