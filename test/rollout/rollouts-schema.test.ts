import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { resolveConfig } from '../../src/config/load-config.js';

const BASE = {
  deployments: [
    { id: 'gpt-4o', baseUrl: 'https://api.example.com/v1', model: 'gpt-4o', location: 'external' },
    { id: 'llama-70b', baseUrl: 'http://10.0.0.1:8000/v1', model: 'llama', vendor: 'vllm' },
  ],
  routes: [{ id: 'support', match: { workload: 'support' }, target: { deployment: 'gpt-4o' } }],
};

function issuesOf(rollouts: unknown): string[] {
  try {
    resolveConfig({ ...BASE, rollouts }, {}, 'test');
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
}

describe('rollouts: in config', () => {
  it('fills in the documented defaults', () => {
    const config = resolveConfig(
      { ...BASE, rollouts: [{ route: 'support', baseline: 'gpt-4o', candidate: 'llama-70b' }] },
      {},
      'test',
    );
    expect(config.rollouts).toEqual([
      {
        route: 'support',
        baseline: 'gpt-4o',
        candidate: 'llama-70b',
        stages: [1, 5, 25, 50, 100],
        minDwellMinutes: 30,
        minRequests: 200,
        checkIntervalSeconds: 60,
        sticky: 'user',
        gates: {
          quality: { margin: 0.01, alpha: 0.05, minPairs: 200, window: 'rollout' },
          errorRate: { max: 0.02, alpha: 0.05 },
        },
        rollback: { afterFailedChecks: 3, to: 'zero' },
        dryRun: false,
      },
    ]);
  });

  it('is empty when absent', () => {
    expect(resolveConfig(BASE, {}, 'test').rollouts).toEqual([]);
  });

  it('names unknown routes and deployments with the fix', () => {
    expect(issuesOf([{ route: 'sales', baseline: 'gpt-4o', candidate: 'llama-8b' }])).toEqual([
      "rollouts[0].route: no route with id 'sales'; add it under 'routes:'",
      "rollouts[0].candidate: no deployment with id 'llama-8b'; add it under 'deployments:'",
    ]);
  });

  it.each([
    [{ stages: [5, 1] }, /rollouts\[0\]\.stages\[1\]: stage 1% does not come after 5%/],
    [
      { stages: [1, 150] },
      /rollouts\[0\]\.stages\[1\]: a stage is a percentage of traffic between 0 and 100/,
    ],
    [{ candidate: 'gpt-4o' }, /rollouts\[0\]\.candidate: the candidate is the baseline/],
    [
      { gates: { quality: { margin: 0.01, alpha: 1 } } },
      /rollouts\[0\]\.gates\.quality\.alpha: alpha must be below 1/,
    ],
    [{ gates: { quality: 'yes' } }, /rollouts\[0\]\.gates\.quality: quality is false or \{ margin/],
    [{ rollback: { to: 'last' } }, /rollouts\[0\]\.rollback\.to: use 'zero' or 'previous'/],
  ])('refuses %j', (override, message) => {
    const issues = issuesOf([{ route: 'support', baseline: 'gpt-4o', candidate: 'llama-70b', ...override }]);
    expect(issues.join('\n')).toMatch(message);
  });

  it('refuses two rollouts of one route', () => {
    const one = { route: 'support', baseline: 'gpt-4o', candidate: 'llama-70b' };
    expect(issuesOf([one, one])).toEqual([
      "rollouts[1].route: route 'support' has two rollouts; a route moves to one candidate at a time",
    ]);
  });

  it('accepts stage objects, a 0% shadow-only stage and disabled gates', () => {
    const config = resolveConfig(
      {
        ...BASE,
        rollouts: [
          {
            route: 'support',
            baseline: 'gpt-4o',
            candidate: 'llama-70b',
            stages: [0, { percent: 10, minDwellMinutes: 60 }, 100],
            gates: { quality: false, latency: { p95MaxMs: 4000 } },
          },
        ],
      },
      {},
      'test',
    );
    expect(config.rollouts[0].stages).toEqual([0, { percent: 10, minDwellMinutes: 60 }, 100]);
    expect(config.rollouts[0].gates.quality).toBe(false);
    expect(config.rollouts[0].gates.latency).toEqual({ p95MaxMs: 4000, alpha: 0.05 });
  });
});
