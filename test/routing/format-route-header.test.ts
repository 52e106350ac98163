import { describe, expect, it } from 'vitest';
import { explainRoute } from '../../src/routing/explain-route.js';
import { formatRouteHeader } from '../../src/routing/format-route-header.js';
import { planRoute } from '../../src/routing/plan-route.js';
import type { RouteExplanation } from '../../src/spec/request-record.js';
import { idle, table } from './fixtures.js';

describe('formatRouteHeader', () => {
  it.each<[string, RouteExplanation, string]>([
    [
      'auto route with a restricted prompt and one fallback',
      {
        routeId: 'support-auto',
        rule: 'workload=support',
        targetKind: 'auto',
        routerScore: 0.3149,
        routerThreshold: 0.42,
        routerChoice: 'weak',
        residency: { dataClass: 'restricted', reason: 'detected(email)' },
        spilled: false,
        attempts: [
          { deployment: 'llama-a', outcome: 'connection', latencyMs: 2 },
          { deployment: 'llama-b', outcome: 'ok', status: 200, latencyMs: 300 },
        ],
      },
      'route=support-auto; target=llama-b; kind=auto; score=0.31; threshold=0.42; choice=weak; residency=restricted(email); fallbacks=1; failed=llama-a:connection',
    ],
    [
      'default pool, normal data, spilled',
      {
        routeId: null,
        rule: null,
        targetKind: 'pool',
        residency: { dataClass: 'normal', reason: null },
        spilled: true,
        attempts: [{ deployment: 'together-70b', outcome: 'ok', latencyMs: 1 }],
      },
      'route=default; target=together-70b; kind=pool; residency=normal; spilled=1',
    ],
    [
      'hostile characters are neutralised',
      {
        routeId: 'a;b\u00e9',
        rule: null,
        targetKind: 'deployment',
        attempts: [],
      },
      'route=a_b_; kind=deployment',
    ],
  ])('%s', (_name, explanation, header) => {
    const out = formatRouteHeader(explanation);
    expect(out).toBe(header);
    expect(out).toMatch(/^[\x20-\x7e]*$/);
  });

  it('explains a plan with its attempts and redaction count', () => {
    const plan = planRoute(
      { model: 'gpt-4o', sensitiveKinds: ['email'] },
      table([{ id: 'red', target: { deployment: 'gpt-4o' }, redact: true }]),
      idle,
    );
    const explanation = explainRoute(plan, [{ deployment: 'openai-4o', outcome: 'ok', latencyMs: 5 }], 2);
    expect(explanation).toEqual({
      routeId: 'red',
      rule: 'any',
      targetKind: 'deployment',
      residency: { dataClass: 'normal', reason: 'redacted(email)', redacted: 2 },
      spilled: false,
      attempts: [{ deployment: 'openai-4o', outcome: 'ok', latencyMs: 5 }],
    });
    expect(formatRouteHeader(explanation)).toBe(
      'route=red; target=openai-4o; kind=deployment; residency=normal(redacted(email)); redacted=2',
    );
  });
});
