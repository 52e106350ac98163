import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** What chat UIs (Open WebUI, Continue) and `client.models.*` see of the models a gateway serves. */

let sim: Simulator;
let passthrough: TestGateway;
let configured: TestGateway;

beforeAll(async () => {
  sim = await startSimulator({ model: ['qwen2.5-7b-instruct', 'llama-3.1-8b-instruct'] });
  passthrough = await startTestGateway({
    deployments: [{ id: 'upstream', baseUrl: sim.url, model: 'passthrough', location: 'internal' }],
    passthroughDeployment: 'upstream',
  });
  configured = await startTestGateway({
    deployments: [
      { id: 'llama-local', baseUrl: sim.url, model: 'llama-3.1-8b-instruct', location: 'internal' },
    ],
    models: [{ name: 'gpt-4o', deployments: ['llama-local'] }],
  });
});

afterAll(async () => {
  await passthrough?.close();
  await configured?.close();
  await sim?.close();
});

const clientOf = (gw: TestGateway) =>
  new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
const modelLists = () => sim.stats.recent.filter((r) => r.path === '/v1/models').length;

describe('GET /v1/models in pass-through mode', () => {
  it("lists the upstream's models, asking the upstream once for a burst of lists", async () => {
    const before = modelLists();
    const client = clientOf(passthrough);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['qwen2.5-7b-instruct', 'llama-3.1-8b-instruct']);
    await client.models.list();
    expect(modelLists() - before).toBe(1);
  });

  it("retrieves one of the upstream's models, and says 404 for a model it does not list", async () => {
    const client = clientOf(passthrough);
    expect((await client.models.retrieve('llama-3.1-8b-instruct')).id).toBe('llama-3.1-8b-instruct');
    await expect(client.models.retrieve('gpt-9')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('GET /v1/models with a config', () => {
  it('lists and retrieves the public model names', async () => {
    const client = clientOf(configured);
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['gpt-4o']);
    const model = await client.models.retrieve('gpt-4o');
    expect(model).toMatchObject({ id: 'gpt-4o', object: 'model' });
    await expect(client.models.retrieve('llama-3.1-8b-instruct')).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });
});
