import { describe, expect, it } from 'vitest';
import { planRoute } from '../../src/routing/plan-route.js';
import { mayReceive, mustRedactFor } from '../../src/routing/assess-residency.js';
import { FailoverController } from '../../src/routing/failover-controller.js';
import type { UpstreamFailureKind } from '../../src/spec/gateway-error.js';
import type { RouteInput } from '../../src/routing/route-plan.js';
import { EXTERNAL, gatewayConfig, idle, stateOf } from './fixtures.js';
import { compileRoutingTable } from '../../src/routing/routing-table.js';

/** One route per target kind, each mixing internal and external backends. */
const TARGETS: Record<string, unknown> = {
  deployment: { deployment: 'llama' },
  'deployment (external)': { deployment: 'gpt-4o' },
  split: {
    split: [
      { deployment: 'gpt-4o', weight: 95 },
      { deployment: 'llama', weight: 5 },
    ],
  },
  'sticky split': {
    split: [
      { deployment: 'gpt-4o', weight: 50 },
      { deployment: 'llama-long', weight: 50 },
    ],
    sticky: 'user',
  },
  fallback: { fallback: ['gpt-4o', 'together-70b', 'llama-long', 'gpt-4o-mini'] },
  'auto (weak internal)': {
    auto: { weak: { deployment: 'llama' }, strong: { fallback: ['gpt-4o', 'llama-long'] } },
  },
  'auto (strong internal)': {
    auto: {
      weak: { split: [{ deployment: 'gpt-4o-mini', weight: 1 }] },
      strong: { deployment: 'llama-long' },
    },
  },
};

const RESTRICTED_INPUTS: [string, Partial<RouteInput>][] = [
  ['header', { dataClass: 'restricted', dataClassSource: 'header' }],
  ['key', { dataClass: 'restricted', dataClassSource: 'key' }],
  ['workload', { dataClass: 'restricted', dataClassSource: 'workload' }],
  ['detector', { sensitiveKinds: ['iban'] }],
];

const STATES = {
  idle,
  'internal saturated': stateOf({
    'llama-a': { inFlight: 4, queueDepth: 50, kvCacheUsage: 0.99 },
    'llama-b': { inFlight: 4, queueDepth: 50, kvCacheUsage: 0.99 },
    'llama-long': { inFlight: 9, ewmaTtftMs: 9000 },
  }),
  'internal breakers open': stateOf({
    'llama-a': { breaker: 'open' },
    'llama-b': { breaker: 'open' },
    'llama-long': { breaker: 'open' },
  }),
};

const FAILURES: UpstreamFailureKind[] = [
  'connection',
  'http_5xx',
  'rate_limited',
  'timeout',
  'first_token_timeout',
  'context_length',
  'content_filter',
  'protocol',
];

const config = gatewayConfig(
  Object.entries(TARGETS).map(([name, target], i) => ({
    id: `r${i}`,
    match: { workload: name },
    target,
    fallbackOn: [
      'connection',
      '5xx',
      '429',
      'timeout',
      'first_token_timeout',
      'context_length',
      'content_filter',
    ],
    retries: { max: 3, baseDelayMs: 0, maxDelayMs: 0 },
    spillover: { tiers: [['together-70b'], ['gpt-4o', 'gpt-4o-mini']], maxQueueDepth: 1 },
  })),
);
const routing = compileRoutingTable(config);

describe('restricted data never reaches an external deployment', () => {
  for (const [targetName] of Object.entries(TARGETS))
    for (const [source, restriction] of RESTRICTED_INPUTS)
      for (const [stateName, state] of Object.entries(STATES))
        it(`${targetName}, restricted by ${source}, ${stateName}, under every failure`, () => {
          const input: RouteInput = {
            model: 'gpt-4o',
            workload: targetName,
            user: 'u-1',
            complexity: () => 0.5,
            ...restriction,
          };
          let plan;
          try {
            plan = planRoute(input, routing, state, { random: () => 0 });
          } catch (err) {
            // Refusing is right only when the route has no internal backend at all.
            expect(err).toMatchObject({ status: 403, code: 'residency_violation' });
            expect(targetName).toBe('deployment (external)');
            return;
          }
          expect(plan.residency.dataClass).toBe('restricted');
          expect(plan.spilled).toBe(false);
          expect(plan.candidates.filter((c) => EXTERNAL.has(c.deployment))).toEqual([]);
          for (const kind of FAILURES) {
            const ctl = new FailoverController(plan, {
              deployments: config.deployments,
              tryAcquire: () => true,
              random: () => 0.5,
            });
            const seen: string[] = [];
            let next = ctl.first();
            while (next && seen.length < 20) {
              seen.push(next.deployment);
              next = ctl.next({ kind, retryAfterMs: 1 });
            }
            expect(seen.filter((id) => EXTERNAL.has(id))).toEqual([]);
          }
        });
});

describe('residency verdicts', () => {
  it('refuses with 403 residency_violation when only external backends remain, and says why', () => {
    const t = compileRoutingTable(
      gatewayConfig([{ id: 'ext', target: { fallback: ['gpt-4o', 'together-70b'] } }]),
    );
    let caught: unknown;
    try {
      planRoute({ model: 'gpt-4o', sensitiveKinds: ['email', 'card'] }, t, idle);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ status: 403, type: 'permission_error', code: 'residency_violation' });
    expect((caught as Error).message).toMatch(
      /detected\(email,card\).*openai-4o, together-70b.*Nothing was sent/,
    );
  });

  it('applies to requests no route matched', () => {
    const t = compileRoutingTable(gatewayConfig([]));
    expect(() => planRoute({ model: 'gpt-4o', dataClass: 'restricted' }, t, idle)).toThrow(
      expect.objectContaining({ code: 'residency_violation' }),
    );
    const plan = planRoute({ model: 'llama', dataClass: 'restricted', dataClassSource: 'key' }, t, idle);
    expect(plan.residency).toMatchObject({ dataClass: 'restricted', reason: 'key', allowExternal: false });
  });

  it('lets a redacting route send detected data out, marked for redaction', () => {
    const t = compileRoutingTable(
      gatewayConfig([{ id: 'red', target: { deployment: 'gpt-4o' }, redact: true }]),
    );
    const plan = planRoute({ model: 'gpt-4o', sensitiveKinds: ['email'] }, t, idle);
    expect(plan.residency).toMatchObject({ dataClass: 'normal', reason: 'redacted(email)', redact: true });
    expect(plan.candidates[0].deployment).toBe('openai-4o');
  });

  it('does not let redaction lower an explicit restriction', () => {
    const t = compileRoutingTable(
      gatewayConfig([{ id: 'red', target: { deployment: 'gpt-4o' }, redact: true }]),
    );
    expect(() =>
      planRoute(
        { model: 'gpt-4o', dataClass: 'restricted', dataClassSource: 'workload', sensitiveKinds: ['email'] },
        t,
        idle,
      ),
    ).toThrow(expect.objectContaining({ code: 'residency_violation' }));
  });

  it('records which external deployments were removed', () => {
    const t = compileRoutingTable(gatewayConfig([{ id: 'f', target: { fallback: ['gpt-4o', 'llama'] } }]));
    const plan = planRoute({ model: 'x', dataClass: 'restricted' }, t, idle);
    expect(plan.residency.removedExternal).toEqual(['openai-4o']);
    expect(plan.candidates.map((c) => c.deployment)).toEqual(['llama-a', 'llama-b']);
  });

  it('keeps normal data free to go anywhere', () => {
    const t = compileRoutingTable(gatewayConfig([{ id: 'f', target: { fallback: ['gpt-4o', 'llama'] } }]));
    const plan = planRoute({ model: 'x' }, t, idle);
    expect(plan.residency).toMatchObject({ dataClass: 'normal', reason: null, allowExternal: true });
    expect(plan.candidates[0].deployment).toBe('openai-4o');
  });
});

describe('mayReceive and mustRedactFor (shadow copies and per-attempt redaction)', () => {
  const internal = { location: 'internal' as const };
  const external = { location: 'external' as const };
  const t = compileRoutingTable(
    gatewayConfig([{ id: 'red', match: { workload: 'r' }, target: { deployment: 'llama' }, redact: true }]),
  );

  it.each<[string, RouteInput, boolean, boolean, boolean]>([
    // name, input, internal may receive, external may receive, external needs redaction
    ['normal data', { model: 'llama' }, true, true, false],
    [
      'restricted by key',
      { model: 'llama', dataClass: 'restricted', dataClassSource: 'key' },
      true,
      false,
      false,
    ],
    ['detected, no redaction', { model: 'llama', sensitiveKinds: ['email'] }, true, false, false],
    [
      'detected, redacting route',
      { model: 'llama', workload: 'r', sensitiveKinds: ['email'] },
      true,
      true,
      true,
    ],
  ])('%s', (_name, input, toInternal, toExternal, redactExternal) => {
    const { residency } = planRoute(input, t, idle);
    expect(mayReceive(residency, internal)).toBe(toInternal);
    expect(mayReceive(residency, external)).toBe(toExternal);
    expect(mayReceive(residency, undefined)).toBe(toExternal);
    expect(mustRedactFor(residency, external)).toBe(redactExternal);
    expect(mustRedactFor(residency, internal)).toBe(false);
  });
});
