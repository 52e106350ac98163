import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeyStore } from '../../src/keys/sqlite-key-store.js';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import type { StoredRecord } from '../../src/spec/request-record.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Route policies through the real gateway: which rule matched decides which deployment answers, the
 * response header and the record name the route, and sticky splits keep one user on one model.
 */

const FREE = { inputPerMillionUsd: 0, outputPerMillionUsd: 0 };

let alpha: Simulator;
let beta: Simulator;
let gamma: Simulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  [alpha, beta, gamma] = await Promise.all([
    startSimulator({ model: 'alpha-sim', outputTokens: 12 }),
    startSimulator({ model: 'beta-sim', outputTokens: 12 }),
    startSimulator({ model: 'gamma-sim', outputTokens: 12 }),
  ]);
  gw = await startTestGateway({
    deployments: [
      { id: 'alpha', baseUrl: alpha.url, model: 'alpha-sim', location: 'internal', prices: FREE },
      { id: 'beta', baseUrl: beta.url, model: 'beta-sim', location: 'internal', prices: FREE },
      { id: 'gamma', baseUrl: gamma.url, model: 'gamma-sim', location: 'internal', prices: FREE },
    ],
    models: [{ name: 'general', deployments: ['gamma'] }],
    routes: [
      { id: 'restricted-lane', match: { dataClass: 'restricted' }, target: { deployment: 'gamma' } },
      { id: 'support', match: { workload: 'support' }, target: { deployment: 'alpha' } },
      { id: 'tenant', match: { headers: { 'X-Tenant': 'acme-*' } }, target: { deployment: 'beta' } },
      { id: 'research', match: { team: 'research' }, target: { deployment: 'beta' } },
      { id: 'tools', match: { model: 'general', hasTools: true }, target: { deployment: 'beta' } },
      {
        id: 'long-prompts',
        match: { model: 'general', minPromptTokens: 200 },
        target: { deployment: 'alpha' },
      },
      {
        id: 'canary-user',
        match: { model: 'canary' },
        target: {
          split: [
            { deployment: 'alpha', weight: 50 },
            { deployment: 'beta', weight: 50 },
          ],
          sticky: 'user',
        },
      },
      {
        id: 'canary-session',
        match: { model: 'canary-session' },
        target: {
          split: [
            { deployment: 'alpha', weight: 50 },
            { deployment: 'beta', weight: 50 },
          ],
          sticky: 'session',
        },
      },
    ],
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([alpha?.close(), beta?.close(), gamma?.close()]);
});

beforeEach(() => {
  for (const sim of [alpha, beta, gamma]) sim.stats.reset();
});

interface Routed {
  answeredBy: string;
  header: string;
  requestId: string | null;
}

async function routed(
  request: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>,
  headers: Record<string, string> = {},
): Promise<Routed> {
  const { data, response } = await client.chat.completions
    .create({ model: 'general', messages: [{ role: 'user', content: 'Hello' }], ...request }, { headers })
    .withResponse();
  const header = response.headers.get('x-switchyard-route') ?? '';
  // Each simulator labels its answers with its own model name.
  const label = /\[simulated (\w+)-sim\]/.exec(data.choices[0].message.content ?? '')?.[1];
  return {
    answeredBy: label ?? /target=([^;]+)/.exec(header)?.[1] ?? 'unknown',
    header,
    requestId: response.headers.get('x-request-id'),
  };
}

async function recordOf(requestId: string | null): Promise<StoredRecord> {
  const record = (await gw.records()).find((r) => r.id === requestId);
  expect(record).toBeDefined();
  return record!;
}

describe('policy matching', () => {
  it('the workload header routes to the configured deployment, and the route is named', async () => {
    const r = await routed({}, { 'x-switchyard-workload': 'support' });
    expect(r.answeredBy).toBe('alpha');
    expect(alpha.stats.requests).toBe(1);
    expect(gamma.stats.requests).toBe(0);
    expect(r.header).toMatch(/^route=support; target=alpha; kind=deployment/);
    const record = await recordOf(r.requestId);
    expect(record).toMatchObject({ workload: 'support', deploymentId: 'alpha' });
    expect(record.route).toMatchObject({ routeId: 'support', targetKind: 'deployment' });
    expect(record.route!.rule).toContain('workload');
  });

  it('without a matching rule the model pool serves it and the header says route=default', async () => {
    const r = await routed({}, { 'x-switchyard-workload': 'billing' });
    expect(r.answeredBy).toBe('gamma');
    expect(r.header).toContain('route=default');
    expect((await recordOf(r.requestId)).route!.routeId).toBeNull();
  });

  it('the first matching rule wins', async () => {
    const r = await routed({}, { 'x-switchyard-workload': 'support', 'x-tenant': 'acme-eu' });
    expect(r.answeredBy).toBe('alpha');
    expect(r.header).toContain('route=support');
  });

  it('a header rule matches by glob, with the header name in any case', async () => {
    const yes = await routed({}, { 'x-tenant': 'acme-eu' });
    expect(yes.answeredBy).toBe('beta');
    expect(yes.header).toContain('route=tenant');
    const no = await routed({}, { 'x-tenant': 'globex' });
    expect(no.answeredBy).toBe('gamma');
    expect(no.header).toContain('route=default');
  });

  it('requests carrying tools go to the tools route', async () => {
    const r = await routed({
      tools: [
        {
          type: 'function',
          function: { name: 'lookup_order', parameters: { type: 'object', properties: {} } },
        },
      ],
    });
    expect(beta.stats.requests).toBe(1);
    expect(r.header).toContain('route=tools');
  });

  it('long prompts go to the long-prompt route', async () => {
    const r = await routed({
      messages: [{ role: 'user', content: 'Read this incident report carefully. '.repeat(40) }],
    });
    expect(r.answeredBy).toBe('alpha');
    expect(r.header).toContain('route=long-prompts');
  });

  it('the data class header selects the restricted lane; an unknown class is a 400', async () => {
    const r = await routed(
      {},
      { 'x-switchyard-data-class': 'restricted', 'x-switchyard-workload': 'support' },
    );
    expect(r.answeredBy).toBe('gamma');
    expect(r.header).toContain('route=restricted-lane');
    expect(r.header).toContain('residency=restricted');

    const err = await routed({}, { 'x-switchyard-data-class': 'secret-ish' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('invalid_data_class');
  });
});

describe('matching on the caller', () => {
  const clientFor = (apiKey: string) => new OpenAI({ baseURL: gw.openaiBaseURL, apiKey, maxRetries: 0 });
  let research: OpenAI;
  let helpdesk: OpenAI;

  beforeAll(() => {
    const keys = createKeyStore(gw.dataDir);
    try {
      research = clientFor(keys.create({ name: 'lab', team: 'research' }).key);
      helpdesk = clientFor(keys.create({ name: 'helpdesk', workload: 'support' }).key);
    } finally {
      keys.close();
    }
  });

  const hello = { model: 'general', messages: [{ role: 'user' as const, content: 'Hello' }] };

  it("a key's team selects its route", async () => {
    const { response } = await research.chat.completions.create(hello).withResponse();
    expect(response.headers.get('x-switchyard-route')).toMatch(/^route=research; target=beta/);
    expect(beta.stats.requests).toBe(1);
  });

  it("a key's workload selects its route, and a header cannot replace it", async () => {
    const byKey = await helpdesk.chat.completions.create(hello).withResponse();
    expect(byKey.response.headers.get('x-switchyard-route')).toMatch(/^route=support; target=alpha/);
    const attempted = await helpdesk.chat.completions
      .create(hello, { headers: { 'x-switchyard-workload': 'billing' } })
      .withResponse();
    expect(attempted.response.headers.get('x-switchyard-route')).toMatch(/^route=support; target=alpha/);
    const record = (await gw.records()).find((r) => r.id === attempted.response.headers.get('x-request-id'));
    expect(record?.workload).toBe('support');
    expect(record?.tags).toEqual({ requested_workload: 'billing' });
  });

  it('a key without a workload may name one in the header', async () => {
    const { response } = await research.chat.completions
      .create(hello, { headers: { 'x-switchyard-workload': 'support' } })
      .withResponse();
    expect(response.headers.get('x-switchyard-route')).toMatch(/^route=support; target=alpha/);
  });
});

describe('sticky weighted splits', () => {
  const users = Array.from({ length: 16 }, (_, i) => `user-${i}`);

  it('the same user always lands on the same deployment; different users spread over both', async () => {
    const placement = new Map<string, Set<string>>();
    for (let round = 0; round < 3; round++)
      for (const user of users) {
        const r = await routed({ model: 'canary', user });
        expect(r.header).toContain('route=canary-user');
        expect(r.header).toContain('kind=split');
        const seen = placement.get(user) ?? new Set<string>();
        seen.add(r.answeredBy);
        placement.set(user, seen);
      }
    for (const [user, seen] of placement) expect([user, seen.size]).toEqual([user, 1]);
    const used = new Set([...placement.values()].flatMap((s) => [...s]));
    expect([...used].sort()).toEqual(['alpha', 'beta']);
    expect(alpha.stats.requests + beta.stats.requests).toBe(users.length * 3);
    expect(gamma.stats.requests).toBe(0);
  });

  it('without a user field, the API key keeps a caller on one deployment', async () => {
    const store = createKeyStore(gw.dataDir);
    const callers = Array.from({ length: 12 }, (_, i) => store.create({ name: `app-${i}` }).key);
    store.close();
    const placement: Set<string>[] = callers.map(() => new Set());
    for (let round = 0; round < 2; round++)
      for (const [i, apiKey] of callers.entries()) {
        const caller = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey, maxRetries: 0 });
        const completion = await caller.chat.completions.create({
          model: 'canary',
          messages: [{ role: 'user', content: 'Hello' }],
        });
        placement[i].add(
          /\[simulated (\w+)-sim\]/.exec(completion.choices[0].message.content ?? '')?.[1] ?? '?',
        );
      }
    for (const seen of placement) expect(seen.size).toBe(1);
    expect(new Set(placement.flatMap((s) => [...s]))).toEqual(new Set(['alpha', 'beta']));
  });

  it('a session id keeps a conversation on one deployment', async () => {
    const placement = new Map<string, Set<string>>();
    for (let round = 0; round < 2; round++)
      for (let s = 0; s < 12; s++) {
        const session = `conversation-${s}`;
        const r = await routed({ model: 'canary-session' }, { 'x-session-id': session });
        const seen = placement.get(session) ?? new Set<string>();
        seen.add(r.answeredBy);
        placement.set(session, seen);
      }
    for (const seen of placement.values()) expect(seen.size).toBe(1);
    const used = new Set([...placement.values()].flatMap((s) => [...s]));
    expect(used.size).toBe(2);
  });
});
