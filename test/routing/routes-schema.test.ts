import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { compileRoutingTable } from '../../src/routing/routing-table.js';
import { planRoute } from '../../src/routing/plan-route.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { routesSchema } from '../../src/config/schema/routes-schema.js';
import { DEPLOYMENTS, MODELS, idle, table } from './fixtures.js';

function configIssues(routes: unknown): string[] {
  try {
    resolveConfig({ deployments: DEPLOYMENTS, models: MODELS, routes }, {}, 'test');
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
}

describe('routes config', () => {
  it('parses an absent routes key to an empty list', () => {
    expect(routesSchema.parse(undefined)).toEqual([]);
    expect(resolveConfig({}, {}).routes).toEqual([]);
  });

  it('accepts every target kind and fills retry defaults', () => {
    const routes = routesSchema.parse([
      { id: 'a', match: { model: 'gpt-4o*' }, target: { deployment: 'llama' } },
      {
        id: 'b',
        target: {
          split: [
            { deployment: 'llama', weight: 95 },
            { deployment: 'gpt-4o', weight: 5 },
          ],
        },
      },
      { id: 'c', target: { fallback: ['llama', 'gpt-4o'] }, retries: { max: 1 } },
      {
        id: 'd',
        target: {
          auto: { weak: { deployment: 'llama' }, strong: { fallback: ['gpt-4o'] }, strongShare: 0.2 },
        },
        fallbackOn: ['connection', 'context_length'],
        spillover: { tiers: [['together-70b'], ['gpt-4o']] },
      },
    ]);
    expect(routes).toHaveLength(4);
    expect(routes[2].retries).toEqual({
      on: ['connection', '5xx', '429'],
      max: 1,
      baseDelayMs: 250,
      maxDelayMs: 5000,
      deadlineMs: 60000,
    });
    expect(routes[3].spillover?.maxQueueDepth).toBe(4);
  });

  it('reads an unquoted 429 in fallbackOn as the 429 condition', () => {
    const [route] = routesSchema.parse([{ id: 'a', target: { deployment: 'x' }, fallbackOn: [429, '5xx'] }]);
    expect(route.fallbackOn).toEqual(['429', '5xx']);
  });

  it.each([
    [
      'an unknown target shape',
      [{ id: 'x', target: { deployments: 'llama' } }],
      /routes\[0\]\.target: a target is one of/,
    ],
    [
      'a duplicated route id',
      [
        { id: 'x', target: { deployment: 'llama' } },
        { id: 'x', target: { deployment: 'llama' } },
      ],
      /routes\[1\]\.id: 'x' is used twice/,
    ],
    [
      'an unknown fallback condition',
      [{ id: 'x', target: { deployment: 'llama' }, fallbackOn: ['500'] }],
      /use one of connection, 5xx/,
    ],
    [
      'an all-zero split',
      [{ id: 'x', target: { split: [{ deployment: 'llama', weight: 0 }] } }],
      /every weight is 0/,
    ],
    [
      'an impossible token range',
      [{ id: 'x', match: { minPromptTokens: 10, maxPromptTokens: 5 }, target: { deployment: 'llama' } }],
      /no request could match/,
    ],
    [
      'a misspelt match key',
      [{ id: 'x', match: { modle: 'a' }, target: { deployment: 'llama' } }],
      /unknown key\(s\) 'modle'/,
    ],
  ])('rejects %s with a message naming the key', (_name, routes, message) => {
    const issues = configIssues(routes);
    expect(issues.join('\n')).toMatch(message);
  });

  it('names the route key of a reference to nothing when the table is compiled', () => {
    expect(() => table([{ id: 'x', target: { fallback: ['llama', 'mistral-large'] } }])).toThrow(
      /routes\[0\]\.target\.fallback\[1\]: 'mistral-large' is neither a deployment id nor a public model name/,
    );
    expect(() =>
      table([{ id: 'x', target: { deployment: 'llama' }, spillover: { tiers: [['nope']] } }]),
    ).toThrow(/routes\[0\]\.spillover\.tiers\[0\]\[0\]/);
  });
});

describe('the example in docs/routing.md', () => {
  it('parses, compiles and routes as described', () => {
    const md = readFileSync(new URL('../../docs/routing.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(md)?.[1];
    expect(yaml).toBeDefined();
    const config = resolveConfig(parseYaml(yaml!), { TOGETHER_API_KEY: 't', OPENAI_API_KEY: 'o' }, 'docs');
    const routing = compileRoutingTable(config);
    expect(routing.routes.map((r) => r.config.id)).toEqual([
      'support-restricted',
      'support-auto',
      'canary',
      'hybrid',
    ]);
    const plan = planRoute(
      { model: 'gpt-4o', workload: 'support', sensitiveKinds: ['email'] },
      routing,
      idle,
    );
    expect(plan.routeId).toBe('support-restricted');
    expect(plan.candidates.map((c) => c.deployment)).toEqual(['llama-a', 'llama-b']);
  });
});
