import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyStore } from '../../src/keys/sqlite-key-store.js';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * What a key imposes, a client cannot loosen: not with a header, not on another endpoint, not with
 * personal data hidden outside the messages. Failed key checks leave a trace.
 */

let external: Simulator;
let gw: TestGateway;
let supportKey: string;
let batchKey: string;

beforeAll(async () => {
  external = await startSimulator({ model: 'gpt-4o', profile: 'openai' });
  gw = await startTestGateway({
    deployments: [
      {
        id: 'cloud',
        baseUrl: external.url,
        model: 'gpt-4o',
        location: 'external',
        prices: { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 },
      },
    ],
    models: [
      { name: 'gpt-4o', deployments: ['cloud'] },
      { name: 'embed', deployments: ['cloud'] },
    ],
    residency: { restrictedWorkloads: ['support'] },
    cost: {
      budgets: [
        { id: 'batch-cap', scope: 'workload', match: 'batch', window: 'daily', limitUsd: 1e-6, mode: 'hard' },
      ],
    },
  });
  const keys = createKeyStore(gw.dataDir);
  supportKey = keys.create({ name: 'support-bot', workload: 'support' }).key;
  batchKey = keys.create({ name: 'batch-bot', workload: 'batch' }).key;
  keys.close();
});

afterAll(async () => {
  await gw?.close();
  await external?.close();
});

const hello = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Hello' }] };
const chats = () => external.stats.recent.filter((r) => r.path !== '/v1/models').length;

describe("a key's workload", () => {
  const escape = { headers: { 'x-switchyard-workload': 'other', 'x-switchyard-data-class': 'normal' } };

  it('keeps its residency whatever the headers say, on chat', async () => {
    const client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: supportKey, maxRetries: 0 });
    const before = chats();
    await expect(client.chat.completions.create(hello, escape)).rejects.toMatchObject({
      status: 403,
      code: 'residency_violation',
    });
    expect(chats()).toBe(before);
  });

  it('keeps its budget whatever the headers say', async () => {
    const client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: batchKey, maxRetries: 0 });
    const before = chats();
    await expect(client.chat.completions.create(hello, escape)).rejects.toMatchObject({
      status: 429,
      code: 'budget_exceeded',
    });
    expect(chats()).toBe(before);
  });

  it('keeps its residency on embeddings, completions and the Messages API', async () => {
    const client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: supportKey, maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: supportKey, maxRetries: 0 });
    const before = chats();
    await expect(client.embeddings.create({ model: 'embed', input: 'hi' }, escape)).rejects.toMatchObject({
      status: 403,
    });
    await expect(client.completions.create({ model: 'gpt-4o', prompt: 'hi' }, escape)).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      anthropic.messages.create({ ...hello, max_tokens: 16 }, { headers: escape.headers }),
    ).rejects.toMatchObject({ status: 403 });
    expect(chats()).toBe(before);
  });
});

describe('personal data outside the messages', () => {
  const client = () => new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });

  it.each([
    ['an email in `user`', { user: 'jane.doe@example.com' }],
    ['an email in `metadata`', { metadata: { customer: 'jane.doe@example.com' }, store: true }],
    [
      'a card number in `prediction.content`',
      { prediction: { type: 'content', content: 'Card 4111 1111 1111 1111' } },
    ],
  ])('keeps %s off external deployments', async (_name, extra) => {
    const before = chats();
    await expect(
      client().chat.completions.create({
        ...hello,
        ...extra,
      } as OpenAI.ChatCompletionCreateParamsNonStreaming),
    ).rejects.toMatchObject({ status: 403, code: 'residency_violation' });
    expect(chats()).toBe(before);
  });

  it('finds an email in a system prompt block on the Messages API', async () => {
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0 });
    await expect(
      anthropic.messages.create({
        ...hello,
        max_tokens: 16,
        system: [{ type: 'text', text: 'The customer is jane.doe@example.com' }],
      }),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe('admin', () => {
  it('is off without a master key, even when keys are not required', async () => {
    const open = await startTestGateway(
      {
        server: { requireApiKey: false },
        deployments: [{ id: 'u', baseUrl: external.url, model: 'passthrough', location: 'internal' }],
        passthroughDeployment: 'u',
      },
      {},
      { masterKey: undefined },
    );
    try {
      for (const path of ['/admin/usage', '/admin/backends', '/admin/self-hosted']) {
        const res = await fetch(`${open.url}${path}`);
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('admin_disabled');
      }
    } finally {
      await open.close();
    }
  });
});

describe('failed authentication', () => {
  it('is recorded without the key, and counted by reason', async () => {
    const wrongKey = 'sk-sy-this-key-does-not-exist-0123456789';
    const bad = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: wrongKey, maxRetries: 0 });
    await expect(bad.chat.completions.create(hello)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const missing = await fetch(`${gw.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hello),
    });
    expect(missing.status).toBe(401);

    const refused = (await gw.records()).filter((r) => r.status === 401);
    expect(refused).toHaveLength(2);
    for (const r of refused)
      expect(r).toMatchObject({ keyId: null, errorCode: 'invalid_api_key', endpoint: 'chat' });
    expect(JSON.stringify(refused)).not.toContain(wrongKey);

    const families = parsePrometheusTextFormat(await (await fetch(`${gw.url}/metrics`)).text());
    const failures = families.find((f) => f.name === 'switchyard_auth_failures_total')!;
    const value = (reason: string) =>
      Number(
        failures.metrics.find((m) => 'labels' in m && m.labels?.reason === reason && 'value' in m)!.value,
      );
    expect(value('invalid')).toBe(1);
    expect(value('missing')).toBe(1);
  });
});
