import { describe, expect, it } from 'vitest';
import { checkOwner } from './check-owner.ts';

const here = { host: 'laptop', bootId: 'boot-1', pidNamespace: 'pid:[4026531836]' };
const owner = { ...here, pid: 4242, startTime: 1000 };

describe('checkOwner', () => {
  it('is live only when the pid runs with the same start time', () => {
    expect(checkOwner(owner, here, { startTime: 1000 })).toBe('live');
    // The pid was reused by another process since: the owner is gone.
    expect(checkOwner(owner, here, { startTime: 2000 })).toBe('dead');
    expect(checkOwner(owner, here, null)).toBe('dead');
  });

  it('says rebooted when this host booted since (nothing of the owner can run)', () => {
    expect(checkOwner({ ...owner, bootId: 'boot-0' }, here, { startTime: 1000 })).toBe('rebooted');
  });

  it('does not judge an owner from another host or pid namespace (a container sharing the home folder)', () => {
    expect(checkOwner({ ...owner, host: 'other' }, here, null)).toBe('elsewhere');
    expect(checkOwner({ ...owner, pidNamespace: 'pid:[4026532000]' }, here, null)).toBe('elsewhere');
    expect(checkOwner({ ...owner, bootId: 'unknown' }, { ...here, bootId: 'unknown' }, null)).toBe('elsewhere');
  });
});
