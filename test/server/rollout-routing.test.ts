import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * A rollout in the gateway: callers are assigned to the baseline or the candidate by a stable hash
 * of their user (or conversation), at the rollout's current share; the admin API moves it by hand;
 * restricted data never reaches an external candidate. Gate decisions themselves are tested with a
 * fake clock in test/rollout.
 */

let baseline: Simulator;
let candidate: Simulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  baseline = await startSimulator({ model: 'gpt-4o-sim' });
  candidate = await startSimulator({ model: 'llama-sim' });
  gw = await startTestGateway({
    deployments: [
      // The incumbent runs inside the network here, so restricted data may stay on it.
      { id: 'openai-gpt-4o', baseUrl: baseline.url, model: 'gpt-4o-sim', location: 'internal' },
      { id: 'llama-70b', baseUrl: candidate.url, model: 'llama-sim', location: 'external' },
    ],
    models: [{ name: 'gpt-4o', deployments: ['openai-gpt-4o'] }],
    routes: [{ id: 'support', match: { model: 'gpt-4o' }, target: { deployment: 'openai-gpt-4o' } }],
    rollouts: [
      {
        route: 'support',
        baseline: 'openai-gpt-4o',
        candidate: 'llama-70b',
        stages: [50, 100],
        gates: { quality: false },
      },
    ],
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await baseline?.close();
  await candidate?.close();
});

async function servedBy(user: string): Promise<{ label: string; header: string }> {
  const { data, response } = await client.chat.completions
    .create({ model: 'gpt-4o', user, messages: [{ role: 'user', content: 'Hello' }] })
    .withResponse();
  return {
    label: data.choices[0].message.content!.includes('llama') ? 'candidate' : 'baseline',
    header: response.headers.get('x-switchyard-route')!,
  };
}

const admin = (path: string, method = 'GET') =>
  fetch(`${gw.url}/admin/rollouts${path}`, { method, headers: { authorization: `Bearer ${MASTER_KEY}` } });

describe('a rollout in the gateway', () => {
  const users = Array.from({ length: 20 }, (_, i) => `user-${i}`);

  it('keeps each caller on one arm at the current share, and says which in the route header', async () => {
    const first = new Map<string, string>();
    for (const user of users) {
      const { label, header } = await servedBy(user);
      first.set(user, label);
      expect(header).toContain(`rollout=${label}@50%`);
    }
    for (const user of users) expect((await servedBy(user)).label).toBe(first.get(user));
    const arms = [...first.values()];
    expect(arms).toContain('candidate');
    expect(arms).toContain('baseline');
  });

  it('is listed by the admin API and moved by hand: advanced to 100%, rolled back to 0%', async () => {
    const list = (await (await admin('')).json()) as {
      rollouts: Array<{ route: string; candidatePercent: number }>;
    };
    expect(list.rollouts).toEqual([expect.objectContaining({ route: 'support', candidatePercent: 50 })]);

    expect((await admin('/support/advance', 'POST')).status).toBe(200);
    for (const user of users.slice(0, 5)) expect((await servedBy(user)).label).toBe('candidate');

    expect((await admin('/support/rollback', 'POST')).status).toBe(200);
    for (const user of users.slice(0, 5)) expect((await servedBy(user)).label).toBe('baseline');
  });

  it('keeps restricted data on the baseline when the candidate is external', async () => {
    // Rolled back to 0%: two steps up, through 50% to 100%.
    expect((await admin('/support/advance', 'POST')).status).toBe(200);
    expect((await admin('/support/advance', 'POST')).status).toBe(200);
    expect((await servedBy('user-1')).label).toBe('candidate');
    const before = candidate.stats.requests;
    const { data, response } = await client.chat.completions
      .create({
        model: 'gpt-4o',
        user: 'user-1',
        messages: [{ role: 'user', content: 'Mail jane.doe@example.com' }],
      })
      .withResponse();
    expect(data.choices[0].message.content).toContain('gpt-4o-sim');
    expect(response.headers.get('x-switchyard-route')).toContain('rollout=baseline@100%');
    expect(candidate.stats.requests).toBe(before);
  });
});
