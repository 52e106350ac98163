import { describe, expect, it } from 'vitest';
import { FailoverController } from '../../src/routing/failover-controller.js';
import { backoffDelayMs, shouldFallback } from '../../src/routing/failure-policy.js';
import { planRoute } from '../../src/routing/plan-route.js';
import type { UpstreamFailureKind } from '../../src/spec/gateway-error.js';
import { gatewayConfig, idle } from './fixtures.js';
import { compileRoutingTable } from '../../src/routing/routing-table.js';
import type { FallbackCondition } from '../../src/config/schema/routes-schema.js';

describe('shouldFallback', () => {
  const all: FallbackCondition[] = [
    'connection',
    '5xx',
    '429',
    'timeout',
    'first_token_timeout',
    'context_length',
    'content_filter',
  ];
  it.each<[UpstreamFailureKind, FallbackCondition[], boolean]>([
    ['connection', ['connection'], true],
    ['http_5xx', ['5xx'], true],
    ['protocol', ['5xx'], true],
    ['rate_limited', ['429'], true],
    ['rate_limited', ['5xx'], false],
    ['timeout', ['timeout'], true],
    ['stall', ['timeout'], true],
    ['first_token_timeout', ['timeout'], false],
    ['first_token_timeout', ['first_token_timeout'], true],
    ['context_length', ['5xx', '429'], false],
    ['context_length', ['context_length'], true],
    ['content_filter', ['content_filter'], true],
    ['http_4xx', all, false],
  ])('%s with %j → %s', (kind, on, expected) => {
    expect(shouldFallback(kind, on)).toBe(expected);
  });
});

describe('backoffDelayMs', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
  it.each<[string, Parameters<typeof backoffDelayMs>[0], number]>([
    ['first retry, top of the jitter range', { attempt: 1, policy, random: () => 0.999 }, 99],
    ['grows exponentially', { attempt: 3, policy, random: () => 0.5 }, 200],
    ['capped by maxDelayMs', { attempt: 10, policy, random: () => 0.999 }, 999],
    ['full jitter can be zero', { attempt: 4, policy, random: () => 0 }, 0],
    ['Retry-After wins when longer', { attempt: 1, policy, random: () => 0.5, retryAfterMs: 3000 }, 3000],
    ['Retry-After ignored when shorter', { attempt: 4, policy, random: () => 0.75, retryAfterMs: 10 }, 600],
    [
      'never past the deadline',
      { attempt: 1, policy, random: () => 0.5, retryAfterMs: 3000, remainingMs: 1200 },
      1200,
    ],
  ])('%s', (_name, input, expected) => {
    expect(backoffDelayMs(input)).toBe(expected);
  });
});

const config = gatewayConfig([
  {
    id: 'chain',
    match: { model: 'chain' },
    target: { fallback: ['llama-a', 'together-70b', 'gpt-4o'] },
    fallbackOn: [
      'connection',
      '5xx',
      '429',
      'timeout',
      'first_token_timeout',
      'context_length',
      'content_filter',
    ],
    retries: { max: 2, baseDelayMs: 100, maxDelayMs: 1000, deadlineMs: 10000 },
  },
  {
    id: 'narrow',
    match: { model: 'narrow' },
    target: { fallback: ['llama-a', 'gpt-4o'] },
    fallbackOn: ['connection'],
  },
]);
const routing = compileRoutingTable(config);

function controller(model: string, opts: { open?: string[]; now?: () => number } = {}) {
  const plan = planRoute({ model }, routing, idle);
  return new FailoverController(plan, {
    deployments: config.deployments,
    tryAcquire: (id) => !(opts.open ?? []).includes(id),
    now: opts.now,
    random: () => 0.5,
  });
}

describe('FailoverController', () => {
  it('moves down the chain without delay, then retries with backoff, then stops', () => {
    const c = controller('chain');
    const steps = [c.first()];
    for (let i = 0; i < 6; i++) steps.push(c.next({ kind: 'http_5xx', status: 503, latencyMs: 12 }));
    expect(steps.map((s) => s && [s.deployment, s.reason, s.delayMs])).toEqual([
      ['llama-a', 'primary', 0],
      ['together-70b', 'fallback', 0],
      ['openai-4o', 'fallback', 0],
      ['llama-a', 'retry', 50],
      ['together-70b', 'retry', 100],
      null,
      null,
    ]);
    expect(c.stopReason).toBe('exhausted');
    expect(c.attempts.map((a) => a.outcome)).toEqual(Array(6).fill('http_5xx'));
  });

  it('stops at once on a failure the route does not fall back on', () => {
    const c = controller('narrow');
    c.first();
    expect(c.next({ kind: 'http_5xx' })).toBeNull();
    expect(c.stopReason).toBe('not_retryable');
    const d = controller('narrow');
    d.first();
    expect(d.next({ kind: 'connection' })?.deployment).toBe('openai-4o');
  });

  it('never falls back on a plain 4xx', () => {
    const c = controller('chain');
    c.first();
    expect(c.next({ kind: 'http_4xx', status: 400 })).toBeNull();
  });

  it('moves a context-length failure only to a longer-context deployment', () => {
    const c = controller('chain');
    expect(c.first()?.deployment).toBe('llama-a'); // 8k
    expect(c.next({ kind: 'context_length' })?.deployment).toBe('together-70b'); // 32k
    expect(c.next({ kind: 'context_length' })?.deployment).toBe('openai-4o'); // 128k
    expect(c.next({ kind: 'context_length' })).toBeNull();
    expect(c.stopReason).toBe('no_larger_context');
  });

  it('moves a content-filter refusal to the next candidate but never asks the same one twice', () => {
    const c = controller('chain');
    c.first();
    expect(c.next({ kind: 'content_filter' })?.deployment).toBe('together-70b');
    expect(c.next({ kind: 'content_filter' })?.deployment).toBe('openai-4o');
    expect(c.next({ kind: 'content_filter' })).toBeNull();
  });

  it('skips candidates whose breaker refuses traffic', () => {
    const c = controller('chain', { open: ['llama-a'] });
    expect(c.first()?.deployment).toBe('together-70b');
    const none = controller('chain', { open: ['llama-a', 'together-70b', 'openai-4o'] });
    expect(none.first()).toBeNull();
    expect(none.stopReason).toBe('no_available_backend');
  });

  it('honours Retry-After on a retry and gives up when it would pass the deadline', () => {
    let now = 0;
    const c = controller('chain', { now: () => now });
    c.first();
    c.next({ kind: 'rate_limited', retryAfterMs: 2000 });
    c.next({ kind: 'rate_limited', retryAfterMs: 2000 });
    const retry = c.next({ kind: 'rate_limited', retryAfterMs: 2000 });
    expect(retry).toMatchObject({ deployment: 'llama-a', reason: 'retry', delayMs: 2000 });

    const late = controller('chain', { now: () => now });
    late.first();
    now = 8_500;
    late.next({ kind: 'rate_limited', retryAfterMs: 2000 });
    late.next({ kind: 'rate_limited', retryAfterMs: 2000 });
    // Every backend asked for 2 s and only 1.5 s remain.
    expect(late.next({ kind: 'rate_limited', retryAfterMs: 2000 })).toBeNull();
    expect(late.stopReason).toBe('deadline');
  });

  it('stops without retrying when every breaker has opened meanwhile', () => {
    const open: string[] = [];
    const c = controller('chain', { open });
    c.first();
    c.next({ kind: 'connection' });
    c.next({ kind: 'connection' });
    open.push('llama-a', 'together-70b', 'openai-4o');
    expect(c.next({ kind: 'connection' })).toBeNull();
    expect(c.stopReason).toBe('no_available_backend');
  });

  it('stops when the deadline has passed', () => {
    let now = 0;
    const c = controller('chain', { now: () => now });
    c.first();
    now = 10_001;
    expect(c.next({ kind: 'connection' })).toBeNull();
    expect(c.stopReason).toBe('deadline');
  });

  it('records the successful attempt after the failed ones', () => {
    const c = controller('chain');
    c.first();
    c.next({ kind: 'connection', latencyMs: 3 });
    c.succeeded(120);
    expect(c.attempts).toEqual([
      { deployment: 'llama-a', outcome: 'connection', status: undefined, latencyMs: 3 },
      { deployment: 'together-70b', outcome: 'ok', status: 200, latencyMs: 120 },
    ]);
  });
});

describe('FailoverController residency guard', () => {
  it('never yields an external deployment for restricted data, even from a tampered plan', () => {
    const plan = planRoute({ model: 'chain' }, routing, idle);
    plan.residency = { ...plan.residency, dataClass: 'restricted', allowExternal: false };
    const c = new FailoverController(plan, { deployments: config.deployments, random: () => 0 });
    const seen: string[] = [];
    for (let next = c.first(); next && seen.length < 10; next = c.next({ kind: 'connection' }))
      seen.push(next.deployment);
    expect(seen).toEqual(['llama-a', 'llama-a', 'llama-a']);
  });
});
