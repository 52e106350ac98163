import { describe, expect, it } from 'vitest';
import { assignArm, stickyKeyFor, stickyPoint } from '../../src/rollout/assign-arm.js';

const ROLLOUT = { route: 'support', candidate: 'llama-70b' };
const users = Array.from({ length: 20_000 }, (_, i) => `user:${i}`);
const share = (percent: number) =>
  users.filter((u) => assignArm(ROLLOUT, percent, u) === 'candidate').length / users.length;

describe('assignArm', () => {
  it.each([1, 5, 25, 50])('gives the candidate about %i% of callers', (percent) => {
    expect(Math.abs(share(percent) - percent / 100)).toBeLessThan(0.006);
  });

  it.each([
    [0, 'baseline'],
    [-5, 'baseline'],
    [100, 'candidate'],
    [120, 'candidate'],
  ] as const)('at %i% sends everyone to the %s', (percent, arm) => {
    expect(users.slice(0, 500).every((u) => assignArm(ROLLOUT, percent, u) === arm)).toBe(true);
  });

  it('only ever adds callers to the candidate as the share ramps up', () => {
    const ramp = [1, 5, 25, 50, 100];
    for (let i = 1; i < ramp.length; i++)
      for (const u of users)
        if (assignArm(ROLLOUT, ramp[i - 1], u) === 'candidate')
          expect(assignArm(ROLLOUT, ramp[i], u)).toBe('candidate');
  });

  it('is a pure function of its inputs, so every replica agrees', () => {
    const again = users.map((u) => assignArm({ ...ROLLOUT }, 5, u));
    expect(again).toEqual(users.map((u) => assignArm(ROLLOUT, 5, u)));
    // Pinned: a change of hash would split callers differently on replicas running different versions.
    expect(stickyPoint(ROLLOUT, 'user:alice')).toBeCloseTo(6.071462039835751, 12);
    expect(stickyPoint(ROLLOUT, 'user:bob')).toBeCloseTo(53.68594154715538, 12);
  });

  it('draws callers afresh for another candidate on the same route', () => {
    const a = users.filter((u) => assignArm(ROLLOUT, 10, u) === 'candidate');
    const b = new Set(
      users.filter((u) => assignArm({ ...ROLLOUT, candidate: 'qwen-72b' }, 10, u) === 'candidate'),
    );
    const overlap = a.filter((u) => b.has(u)).length / a.length;
    expect(overlap).toBeLessThan(0.2);
  });
});

describe('stickyKeyFor', () => {
  it.each([
    [{ user: 'u1', sessionId: 's1', requestId: 'r1' }, 'user', 'user:u1'],
    [{ user: 'u1', sessionId: 's1', requestId: 'r1' }, 'session', 'session:s1'],
    [{ user: null, sessionId: 's1', requestId: 'r1' }, 'user', 'session:s1'],
    [{ user: 'u1', sessionId: '', requestId: 'r1' }, 'session', 'user:u1'],
    [{ requestId: 'r1' }, 'user', 'request:r1'],
  ] as const)('%j preferring %s → %s', (ids, prefer, key) => {
    expect(stickyKeyFor(ids, prefer)).toBe(key);
  });
});
