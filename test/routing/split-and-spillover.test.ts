import { describe, expect, it } from 'vitest';
import { planRoute } from '../../src/routing/plan-route.js';
import { pickWeighted } from '../../src/routing/pick-weighted.js';
import { stableHash32 } from '../../src/routing/stable-hash.js';
import { idle, stateOf, table } from './fixtures.js';

const canary = table([
  {
    id: 'canary',
    match: { model: 'llama' },
    target: {
      split: [
        { deployment: 'llama-a', weight: 95 },
        { deployment: 'llama-long', weight: 5 },
      ],
      sticky: 'user',
    },
  },
  {
    id: 'three-way',
    match: { model: 'three' },
    target: {
      split: [
        { deployment: 'llama-a', weight: 50 },
        { deployment: 'llama-b', weight: 30 },
        { deployment: 'llama-long', weight: 20 },
      ],
      sticky: 'session',
    },
  },
  {
    id: 'by-header',
    match: { model: 'hdr' },
    target: {
      split: [
        { deployment: 'llama-a', weight: 1 },
        { deployment: 'llama-b', weight: 1 },
      ],
      sticky: 'x-tenant',
    },
  },
  {
    id: 'random',
    match: { model: 'rnd' },
    target: {
      split: [
        { deployment: 'llama-a', weight: 1 },
        { deployment: 'llama-b', weight: 3 },
      ],
    },
  },
]);

describe('weighted splits', () => {
  it.each<[string, string, (i: number) => Record<string, string>, Record<string, number>]>([
    ['95/5 canary by user', 'llama', (i) => ({ user: `user-${i}` }), { 'llama-a': 0.95, 'llama-long': 0.05 }],
    [
      '50/30/20 by session',
      'three',
      (i) => ({ sessionId: `sess-${i}` }),
      { 'llama-a': 0.5, 'llama-b': 0.3, 'llama-long': 0.2 },
    ],
    ['50/50 by header', 'hdr', (i) => ({ tenant: `t${i}` }), { 'llama-a': 0.5, 'llama-b': 0.5 }],
  ])('%s: proportions within 1.5 points over 10,000 keys', (_name, model, keyOf, expected) => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const k = keyOf(i);
      const plan = planRoute(
        { model, user: k.user, sessionId: k.sessionId, headers: k.tenant ? { 'x-tenant': k.tenant } : {} },
        canary,
        idle,
      );
      const first = plan.candidates[0].deployment;
      counts[first] = (counts[first] ?? 0) + 1;
    }
    for (const [id, share] of Object.entries(expected))
      expect(Math.abs(counts[id] / 10_000 - share)).toBeLessThan(0.015);
  });

  it('keeps one user on one deployment, whatever the load', () => {
    const loads = [
      idle,
      stateOf({ 'llama-a': { inFlight: 3 } }),
      stateOf({ 'llama-long': { inFlight: 9, ewmaLatencyMs: 5000 } }),
    ];
    for (let i = 0; i < 200; i++) {
      const firsts = new Set(
        loads.map((s) => planRoute({ model: 'llama', user: `u${i}` }, canary, s).candidates[0].deployment),
      );
      expect(firsts.size).toBe(1);
    }
  });

  it('uses an explicit sticky key over the configured source', () => {
    const firsts = new Set(
      Array.from(
        { length: 50 },
        (_, i) =>
          planRoute({ model: 'three', sessionId: `s${i}`, stickyKey: 'conversation-9' }, canary, idle)
            .candidates[0].deployment,
      ),
    );
    expect(firsts.size).toBe(1);
  });

  it('falls back to the key id when a request names no user', () => {
    const a = planRoute({ model: 'llama', keyId: 'key-7' }, canary, idle).candidates[0];
    for (let i = 0; i < 20; i++)
      expect(planRoute({ model: 'llama', keyId: 'key-7' }, canary, idle).candidates[0]).toEqual(a);
  });

  it('uses the random source when not sticky, and keeps the other entries as fallbacks', () => {
    const low = planRoute({ model: 'rnd' }, canary, idle, { random: () => 0.1 });
    const high = planRoute({ model: 'rnd' }, canary, idle, { random: () => 0.9 });
    expect(low.candidates).toEqual([
      { deployment: 'llama-a', reason: 'primary' },
      { deployment: 'llama-b', reason: 'split' },
    ]);
    expect(high.candidates[0].deployment).toBe('llama-b');
    expect(high.targetKind).toBe('split');
  });

  it('pickWeighted never picks a zero-weight entry', () => {
    const entries = [{ weight: 0 }, { weight: 1 }, { weight: 0 }];
    for (const p of [0, 0.3, 0.999999]) expect(pickWeighted(entries, p)).toBe(1);
  });

  it('hashes are the same in every process and release, so replicas agree on sticky placements', () => {
    expect(stableHash32('user-1')).toBe(2005895916);
    expect(stableHash32('user-2')).toBe(853201105);
    expect(stableHash32('')).toBe(2872998923);
  });
});

describe('capacity spill-over', () => {
  const hybrid = table([
    {
      id: 'hybrid',
      target: { deployment: 'llama' },
      spillover: {
        tiers: [['llama'], ['together-70b'], ['gpt-4o']],
        maxQueueDepth: 4,
        maxKvCacheUsage: 0.9,
        ttftSloMs: 2000,
      },
    },
  ]);
  const plan = (loads: Parameters<typeof stateOf>[0], input = {}) =>
    planRoute({ model: 'llama', ...input }, hybrid, stateOf(loads));
  const both = (load: object) => ({ 'llama-a': load, 'llama-b': load });

  it.each<[string, Parameters<typeof stateOf>[0], boolean, string, string | undefined]>([
    ['headroom: stays internal', both({ inFlight: 2 }), false, 'llama-a', undefined],
    ['one replica full: the other serves', { 'llama-a': { inFlight: 4 } }, false, 'llama-b', undefined],
    [
      'one replica queueing, though less busy: the other serves',
      { 'llama-a': { inFlight: 0, queueDepth: 9 }, 'llama-b': { inFlight: 3 } },
      false,
      'llama-b',
      undefined,
    ],
    ['in-flight at capacity', both({ inFlight: 4 }), true, 'together-70b', 'in_flight 4>=4'],
    ['engine queue over threshold', both({ queueDepth: 5 }), true, 'together-70b', 'queue 5>4'],
    ['queue at threshold is not over', both({ queueDepth: 4 }), false, 'llama-a', undefined],
    ['KV cache nearly full', both({ kvCacheUsage: 0.97 }), true, 'together-70b', 'kv 0.97>0.9'],
    ['TTFT over the SLO', both({ ewmaTtftMs: 3500 }), true, 'together-70b', 'ttft 3500ms>2000ms'],
    ['breakers open', both({ breaker: 'open' }), true, 'together-70b', 'breaker_open'],
    [
      'next tier saturated too: the one after',
      { ...both({ inFlight: 4 }), 'together-70b': { breaker: 'open' } },
      true,
      'openai-4o',
      'in_flight 4>=4',
    ],
  ])('%s', (_name, loads, spilled, first, reason) => {
    const p = plan(loads);
    expect(p.spilled).toBe(spilled);
    expect(p.candidates[0].deployment).toBe(first);
    expect(p.spillReason).toBe(reason);
    if (spilled) {
      expect(p.spilledFrom).toEqual(['llama-a', 'llama-b']);
      // The saturated pool is kept as a last resort.
      expect(p.candidates.map((c) => c.deployment)).toContain('llama-a');
    }
  });

  it('lists overflow tiers as spill-over candidates while the pool has headroom', () => {
    expect(plan({}).candidates).toEqual([
      { deployment: 'llama-a', reason: 'primary' },
      { deployment: 'llama-b', reason: 'pool' },
      { deployment: 'together-70b', reason: 'spillover' },
      { deployment: 'openai-4o', reason: 'spillover' },
    ]);
  });

  it('never spills restricted data, even when the pool is saturated', () => {
    const p = plan(both({ inFlight: 4, queueDepth: 99 }), { dataClass: 'restricted' });
    expect(p.spilled).toBe(false);
    expect(p.candidates.map((c) => c.deployment)).toEqual(['llama-a', 'llama-b']);
  });
});
