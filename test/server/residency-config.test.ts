import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

let internal: Simulator;
let external: Simulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  internal = await startSimulator({ model: 'llama' });
  external = await startSimulator({ model: 'gpt-4o', profile: 'openai' });
  gw = await startTestGateway({
    deployments: [
      { id: 'cloud', baseUrl: external.url, model: 'gpt-4o', location: 'external' },
      { id: 'local', baseUrl: internal.url, model: 'llama', location: 'internal' },
    ],
    models: [
      { name: 'chat', deployments: ['cloud', 'local'] },
      { name: 'cloud-only', deployments: ['cloud'] },
    ],
    residency: { restrictedWorkloads: ['hr'] },
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await internal?.close();
  await external?.close();
});

describe('data class set by configuration', () => {
  it('keeps a restricted workload on internal deployments, even when the pool prefers the cloud', async () => {
    const before = external.stats.requests;
    const { data, response } = await client.chat.completions
      .create(
        { model: 'chat', messages: [{ role: 'user', content: 'payroll question' }] },
        { headers: { 'x-switchyard-workload': 'hr' } },
      )
      .withResponse();
    expect(data.choices[0].message.content).toContain('llama');
    expect(response.headers.get('x-switchyard-route')).toContain('residency=restricted(workload)');
    expect(external.stats.requests).toBe(before);
  });

  it('refuses with 403 when only external deployments could serve, sending nothing', async () => {
    const before = external.stats.requests;
    const err = await client.chat.completions
      .create(
        { model: 'cloud-only', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-switchyard-workload': 'hr' } },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((err as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('residency_violation');
    expect(external.stats.requests).toBe(before);
  });
});
