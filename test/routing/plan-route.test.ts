import { describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/spec/gateway-error.js';
import { planRoute } from '../../src/routing/plan-route.js';
import type { RouteInput } from '../../src/routing/route-plan.js';
import { DEPLOYMENTS, idle, MODELS, stateOf, table } from './fixtures.js';

const ROUTES = [
  {
    id: 'support-restricted',
    match: { workload: 'support', dataClass: 'restricted' },
    target: { deployment: 'llama' },
  },
  { id: 'long-prompts', match: { minPromptTokens: 8000 }, target: { deployment: 'llama-long' } },
  { id: 'tools-to-4o', match: { hasTools: true, model: 'gpt-4o*' }, target: { deployment: 'gpt-4o' } },
  { id: 'json-mini', match: { jsonSchema: true }, target: { deployment: 'gpt-4o-mini' } },
  { id: 'beta-header', match: { headers: { 'X-Beta': 'on*' } }, target: { deployment: 'together-70b' } },
  { id: 'team-research', match: { team: ['research', 'lab-*'] }, target: { fallback: ['gpt-4o', 'llama'] } },
  { id: 'key-batch', match: { key: 'key_batch' }, target: { deployment: 'llama-b' } },
  { id: 'gpt-to-llama', match: { model: 'gpt-4o-mini' }, target: { deployment: 'llama' } },
];

const t = table(ROUTES);
const base: RouteInput = { model: 'gpt-4o', promptTokens: 100 };

describe('planRoute: which rule matches', () => {
  it.each<[string, Partial<RouteInput>, string | null, string, string | null]>([
    ['no rule: the public model pool', {}, null, 'openai-4o', null],
    [
      'workload + restricted header',
      { workload: 'support', dataClass: 'restricted' },
      'support-restricted',
      'llama-a',
      'workload=support dataClass=restricted',
    ],
    [
      'workload + detected personal data',
      { workload: 'support', sensitiveKinds: ['email'] },
      'support-restricted',
      'llama-a',
      null,
    ],
    ['workload alone is not enough', { workload: 'support' }, null, 'openai-4o', null],
    [
      'prompt length lower bound is inclusive',
      { promptTokens: 8000 },
      'long-prompts',
      'llama-long',
      'promptTokens>=8000',
    ],
    [
      'tools on a gpt-4o variant',
      { hasTools: true, model: 'gpt-4o-2024-08-06' },
      'tools-to-4o',
      'openai-4o',
      null,
    ],
    ['JSON schema requested', { jsonSchema: true }, 'json-mini', 'openai-mini', 'jsonSchema=true'],
    [
      'header glob, case-insensitive name',
      { headers: { 'x-beta': 'on-please' } },
      'beta-header',
      'together-70b',
      'header:x-beta=on*',
    ],
    ['header with another value', { headers: { 'x-beta': 'off' } }, null, 'openai-4o', null],
    ['team from a list with globs', { team: 'lab-7' }, 'team-research', 'openai-4o', 'team=research|lab-*'],
    ['key id', { keyId: 'key_batch' }, 'key-batch', 'llama-b', 'key=key_batch'],
    [
      'model renamed to an internal pool',
      { model: 'gpt-4o-mini' },
      'gpt-to-llama',
      'llama-a',
      'model=gpt-4o-mini',
    ],
    ['earlier rule wins', { model: 'gpt-4o-mini', jsonSchema: true }, 'json-mini', 'openai-mini', null],
  ])('%s', (_name, input, routeId, first, rule) => {
    const plan = planRoute({ ...base, ...input }, t, idle);
    expect(plan.routeId).toBe(routeId);
    expect(plan.candidates[0].deployment).toBe(first);
    if (rule) expect(plan.rule).toBe(rule);
  });

  it('lists fallbacks after the primary, with reasons', () => {
    const plan = planRoute({ ...base, team: 'research' }, t, idle);
    expect(plan.candidates).toEqual([
      { deployment: 'openai-4o', reason: 'primary' },
      { deployment: 'llama-a', reason: 'fallback' },
      { deployment: 'llama-b', reason: 'fallback' },
    ]);
    expect(plan.targetKind).toBe('fallback');
  });

  it('sends unknown models to the passthrough deployment when one is configured', () => {
    const withPassthrough = table([], { passthroughDeployment: 'together-70b' });
    const plan = planRoute({ model: 'mistral-small' }, withPassthrough, idle);
    expect(plan.targetKind).toBe('direct');
    expect(plan.candidates).toEqual([{ deployment: 'together-70b', reason: 'passthrough' }]);
  });

  it('answers 404 model_not_found for an unknown model without passthrough', () => {
    expect(() => planRoute({ model: 'mistral-small' }, t, idle)).toThrow(
      expect.objectContaining({ status: 404, code: 'model_not_found' }),
    );
  });
});

describe('planRoute: a pool is tried in order unless it balances', () => {
  it.each<[string, Parameters<typeof stateOf>[0], string[]]>([
    ['idle: config order', {}, ['llama-a', 'llama-b']],
    [
      'busier first deployment: still config order',
      { 'llama-a': { inFlight: 3 }, 'llama-b': { inFlight: 1 } },
      ['llama-a', 'llama-b'],
    ],
    [
      'slower first deployment: still config order',
      { 'llama-a': { inFlight: 1, ewmaLatencyMs: 900 }, 'llama-b': { inFlight: 1, ewmaLatencyMs: 300 } },
      ['llama-a', 'llama-b'],
    ],
    [
      'open breaker goes last',
      { 'llama-a': { breaker: 'open' }, 'llama-b': { inFlight: 3 } },
      ['llama-b', 'llama-a'],
    ],
    ['failed health check goes last', { 'llama-a': { healthy: false } }, ['llama-b', 'llama-a']],
  ])('in order: %s', (_name, loads, order) => {
    const plan = planRoute({ model: 'llama' }, t, stateOf(loads));
    expect(plan.targetKind).toBe('pool');
    expect(plan.candidates.map((c) => c.deployment)).toEqual(order);
  });

  const balanced = table(ROUTES, {
    models: MODELS.map((m) => (m.name === 'llama' ? { ...m, balance: 'least-loaded' } : m)),
  });
  it.each<[string, Parameters<typeof stateOf>[0], string[]]>([
    ['idle: config order', {}, ['llama-a', 'llama-b']],
    [
      'least outstanding first',
      { 'llama-a': { inFlight: 3 }, 'llama-b': { inFlight: 1 } },
      ['llama-b', 'llama-a'],
    ],
    [
      'equal load: lower EWMA latency first',
      { 'llama-a': { inFlight: 1, ewmaLatencyMs: 900 }, 'llama-b': { inFlight: 1, ewmaLatencyMs: 300 } },
      ['llama-b', 'llama-a'],
    ],
    [
      'open breaker goes last even when idle',
      { 'llama-a': { breaker: 'open' }, 'llama-b': { inFlight: 3 } },
      ['llama-b', 'llama-a'],
    ],
  ])('least-loaded: %s', (_name, loads, order) => {
    const plan = planRoute({ model: 'llama' }, balanced, stateOf(loads));
    expect(plan.candidates.map((c) => c.deployment)).toEqual(order);
  });

  it('moves a fallback ahead of a primary whose breaker is open', () => {
    const plan = planRoute({ ...base, team: 'research' }, t, stateOf({ 'openai-4o': { breaker: 'open' } }));
    expect(plan.candidates.map((c) => c.deployment)).toEqual(['llama-a', 'llama-b', 'openai-4o']);
  });
});

describe('planRoute: auto routes', () => {
  const auto = table([
    {
      id: 'support-auto',
      match: { workload: 'support' },
      target: { auto: { weak: { deployment: 'llama' }, strong: { deployment: 'gpt-4o' }, threshold: 0.42 } },
    },
    {
      id: 'share',
      match: { workload: 'share' },
      target: { auto: { weak: { deployment: 'llama' }, strong: { deployment: 'gpt-4o' }, strongShare: 0.2 } },
    },
    { id: 'hard', match: { minComplexity: 0.9 }, target: { deployment: 'gpt-4o' } },
  ]);

  it.each<[number, 'weak' | 'strong', string]>([
    [0.31, 'weak', 'llama-a'],
    [0.42, 'strong', 'openai-4o'],
    [0.8, 'strong', 'openai-4o'],
  ])('score %s goes %s', (score, choice, first) => {
    const plan = planRoute({ model: 'x', workload: 'support', complexity: () => score }, auto, idle);
    expect(plan).toMatchObject({
      targetKind: 'auto',
      routerScore: score,
      routerThreshold: 0.42,
      routerChoice: choice,
    });
    expect(plan.candidates[0].deployment).toBe(first);
    // The other side stands by as a fallback.
    expect(plan.candidates.at(-1)?.reason).toBe('fallback');
  });

  it('derives the threshold from strongShare through the router calibration', () => {
    const plan = planRoute({ model: 'x', workload: 'share', complexity: () => 0.7 }, auto, idle, {
      thresholdForStrongShare: (share) => 1 - share / 2,
    });
    expect(plan.routerThreshold).toBe(0.9);
    expect(plan.routerChoice).toBe('weak');
    const uncalibrated = planRoute({ model: 'x', workload: 'share', complexity: () => 0.7 }, auto, idle);
    expect(uncalibrated.routerThreshold).toBeCloseTo(0.8);
  });

  it('chooses strong when no score is available', () => {
    const plan = planRoute({ model: 'x', workload: 'support' }, auto, idle);
    expect(plan.routerChoice).toBe('strong');
  });

  it('computes the complexity score once, and only when a route needs it', () => {
    const complexity = vi.fn(() => 0.95);
    planRoute({ model: 'gpt-4o', workload: 'support', complexity }, auto, idle);
    expect(complexity).toHaveBeenCalledTimes(1);
    const unused = vi.fn(() => 0.5);
    planRoute(
      { model: 'gpt-4o', keyId: 'k' },
      table([{ id: 'k', match: { key: 'k' }, target: { deployment: 'llama' } }]),
      idle,
    );
    planRoute(
      { model: 'gpt-4o', keyId: 'k', complexity: unused },
      table([{ id: 'k', match: { key: 'k' }, target: { deployment: 'llama' } }]),
      idle,
    );
    expect(unused).not.toHaveBeenCalled();
  });

  it('matches complexity bounds', () => {
    expect(planRoute({ model: 'gpt-4o-mini', complexity: () => 0.95 }, auto, idle).routeId).toBe('hard');
    expect(planRoute({ model: 'gpt-4o-mini', complexity: () => 0.5 }, auto, idle).routeId).toBeNull();
    expect(planRoute({ model: 'gpt-4o-mini' }, auto, idle).routeId).toBeNull();
  });
});

describe('planRoute: route settings reach the plan', () => {
  it('carries retry policy, fallback conditions and the first-token budget', () => {
    const plan = planRoute(
      { model: 'gpt-4o' },
      table([
        {
          id: 'r',
          target: { deployment: 'gpt-4o' },
          fallbackOn: ['429', 'context_length'],
          retries: { max: 3, deadlineMs: 20000 },
          firstTokenBudgetMs: 1500,
          logBodies: true,
        },
      ]),
      idle,
    );
    expect(plan.fallbackOn).toEqual(['429', 'context_length']);
    expect(plan.retryPolicy).toEqual({
      on: ['connection', '5xx', '429'],
      max: 3,
      baseDelayMs: 250,
      maxDelayMs: 5000,
      deadlineMs: 20000,
    });
    expect(plan.firstTokenBudgetMs).toBe(1500);
    expect(plan.logBodies).toBe(true);
  });

  it('uses defaults when no route matches', () => {
    const plan = planRoute({ model: 'gpt-4o' }, t, idle);
    expect(plan.fallbackOn).toEqual(['connection', '5xx', '429', 'timeout', 'first_token_timeout']);
    expect(plan.retryPolicy.max).toBe(2);
  });

  it('throws GatewayError, never a bare Error', () => {
    expect(() => planRoute({ model: 'nope' }, t, idle)).toThrow(GatewayError);
  });
});

describe('planRoute: auto threshold from a target cost', () => {
  const priced = DEPLOYMENTS.map((d) =>
    d.id === 'openai-4o'
      ? { ...d, prices: { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 } } // blended 4.375
      : d.id === 'together-70b'
        ? { ...d, prices: { inputPerMillionUsd: 0.88, outputPerMillionUsd: 0.88 } }
        : d,
  );
  const auto = (targetCost: Record<string, number>, weak = 'together-70b') =>
    table(
      [
        {
          id: 'cost',
          target: { auto: { weak: { deployment: weak }, strong: { deployment: 'gpt-4o' }, targetCost } },
        },
      ],
      {
        deployments: priced,
      },
    );

  it('turns a target blended price into a strong share, then a threshold', () => {
    // (1.5 - 0.88) / (4.375 - 0.88) = 0.1774 of calls may go strong.
    const plan = planRoute({ model: 'x', complexity: () => 0.5 }, auto({ targetUsdPerMTok: 1.5 }), idle, {
      thresholdForStrongShare: (share) => 1 - share,
    });
    expect(plan.routerThreshold).toBeCloseTo(1 - 0.62 / 3.495, 4);
    expect(plan.routerChoice).toBe('weak');
  });

  it('takes explicit prices over the config', () => {
    const plan = planRoute(
      { model: 'x', complexity: () => 0.5 },
      auto({ targetUsdPerMTok: 5, weakUsdPerMTok: 0, strongUsdPerMTok: 10 }),
      idle,
    );
    expect(plan.routerThreshold).toBeCloseTo(0.5);
  });

  it('fails at start-up when a price is missing, naming the key', () => {
    expect(() => auto({ targetUsdPerMTok: 1 }, 'llama')).toThrow(
      /routes\[0\]\.target\.auto\.targetCost\.weakUsdPerMTok: deployment 'llama-a' has no input and output prices/,
    );
  });
});
