import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/config-schema.js';
import { SqliteShadowStore } from '../../src/shadow/sqlite-shadow-store.js';
import type { ShadowPair } from '../../src/shadow/shadow-pair.js';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { openSqliteDatabase } from '../../src/storage/open-sqlite-database.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Shadow traffic through the real gateway: sampled requests are copied to candidates after the
 * primary answered; the client sees only the primary, at the primary's speed; restricted data never
 * reaches an external candidate; copies run bounded, are priced and stored apart from the caller's
 * spend, and stop at their job's budget and end date.
 */

const CANDIDATE_DELAY_MS = 400;
let primary: Simulator;
let internalCandidate: Simulator;
let externalCandidate: Simulator;
let gw: TestGateway;
let client: OpenAI;

const shadowedRoute = (extra: Record<string, unknown> = {}) => ({
  candidates: ['llama-candidate', 'cloud-candidate'],
  sample: 1,
  maxConcurrency: 4,
  maxQueue: 50,
  logBodies: true,
  score: { scorer: 'rouge-l' },
  ...extra,
});

/** The gateway's config, its one route shadowed as `shadow` says. */
const config = (shadow: ReturnType<typeof shadowedRoute> = shadowedRoute()): ConfigInput => ({
  deployments: [
    {
      id: 'primary',
      baseUrl: primary.url,
      model: 'primary-sim',
      location: 'internal',
      prices: { inputPerMillionUsd: 1, outputPerMillionUsd: 2 },
    },
    {
      id: 'llama-candidate',
      baseUrl: internalCandidate.url,
      model: 'llama-sim',
      location: 'internal',
      prices: { inputPerMillionUsd: 0.1, outputPerMillionUsd: 0.2 },
    },
    {
      id: 'cloud-candidate',
      baseUrl: externalCandidate.url,
      model: 'cloud-sim',
      location: 'external',
      prices: { inputPerMillionUsd: 3, outputPerMillionUsd: 6 },
    },
  ],
  models: [{ name: 'assistant', deployments: ['primary'] }],
  routes: [
    {
      id: 'support',
      match: { model: 'assistant' },
      target: { deployment: 'primary' },
      shadow,
    },
  ],
  cost: {
    baseline: { model: 'gpt-4o' },
    budgets: [{ id: 'global', scope: 'global', window: 'daily', limitUsd: 1000, mode: 'hard' }],
  },
});

beforeAll(async () => {
  primary = await startSimulator({ model: 'primary-sim', outputTokens: 8 });
  internalCandidate = await startSimulator({
    model: 'llama-sim',
    ttftMs: CANDIDATE_DELAY_MS,
    outputTokens: 8,
  });
  externalCandidate = await startSimulator({
    model: 'cloud-sim',
    ttftMs: CANDIDATE_DELAY_MS,
    outputTokens: 8,
  });
  gw = await startTestGateway(config());
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([primary?.close(), internalCandidate?.close(), externalCandidate?.close()]);
});

const chatsOf = (sim: Simulator) => sim.stats.recent.filter((r) => r.path === '/v1/chat/completions');

/** Every pair stored so far, once copies in flight have landed. */
async function pairsOf(gateway: TestGateway, count: number): Promise<ShadowPair[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await gateway.records();
    const db = openSqliteDatabase(gateway.dataDir);
    const pairs = new SqliteShadowStore(db).query({});
    db.close();
    if (pairs.length >= count || Date.now() > deadline) return pairs;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function metric(gateway: TestGateway, name: string, labels: Record<string, string>): Promise<number> {
  const families = parsePrometheusTextFormat(await (await fetch(`${gateway.url}/metrics`)).text());
  const sample = families
    .find((f) => f.name === name)
    ?.metrics.find((m) => 'labels' in m && Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample && 'value' in sample ? Number(sample.value) : 0;
}

describe('shadow copies', () => {
  it('answer the client at the primary’s speed, then store both answers as a pair', async () => {
    const started = performance.now();
    const reply = await client.chat.completions.create({
      model: 'assistant',
      messages: [{ role: 'user', content: 'Summarise our refund policy in one line.' }],
    });
    const elapsed = performance.now() - started;
    expect(reply.choices[0].message.content).toContain('primary-sim');
    // The candidates take 400 ms; the client never waits for them.
    expect(elapsed).toBeLessThan(CANDIDATE_DELAY_MS);

    const pairs = await pairsOf(gw, 2);
    expect(pairs.map((p) => p.candidate).sort()).toEqual(['cloud-candidate', 'llama-candidate']);
    for (const pair of pairs) {
      expect(pair).toMatchObject({ routeId: 'support', status: 200, scorer: 'rouge-l' });
      expect(pair.primaryAnswer?.text).toContain('primary-sim');
      expect(pair.shadowAnswer?.text).toBeTruthy();
      expect(pair.shadow.latencyMs).toBeGreaterThanOrEqual(CANDIDATE_DELAY_MS - 20);
      expect(pair.shadow.costUsd).toBeGreaterThan(0);
      expect(pair.scoreDifference).toBeGreaterThanOrEqual(-1);
      expect(pair.scoreDifference).toBeLessThanOrEqual(0);
    }
    // The caller's records hold the primary only: shadow spend is never the caller's.
    const records = await gw.records();
    expect(records).toHaveLength(1);
    expect(records[0].deploymentId).toBe('primary');
  });

  it('copy a streamed request whole and not streamed: conversation, tools and response format', async () => {
    const before = chatsOf(internalCandidate).length;
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'lookup_order', parameters: { type: 'object', properties: {} } },
      },
    ];
    const messages = [
      { role: 'system' as const, content: 'You are a support agent.' },
      { role: 'user' as const, content: 'Where is order 42?' },
      { role: 'assistant' as const, content: 'Let me check.' },
      { role: 'user' as const, content: 'Thanks, please hurry.' },
    ];
    const stream = await client.chat.completions.create({
      model: 'assistant',
      messages,
      tools,
      response_format: { type: 'json_object' },
      stream: true,
    });
    for await (const _ of stream) void _;
    await pairsOf(gw, 4);
    const copies = chatsOf(internalCandidate).slice(before);
    expect(copies).toHaveLength(1);
    const sent = copies[0].body as Record<string, unknown>;
    expect(sent.stream).toBeUndefined();
    expect(sent.messages).toEqual(messages);
    expect(sent.tools).toEqual(tools);
    expect(sent.response_format).toEqual({ type: 'json_object' });
  });

  it('never carry restricted data to an external candidate', async () => {
    const before = chatsOf(externalCandidate).length;
    const dropped = await metric(gw, 'switchyard_shadow_dropped_total', {
      route: 'support',
      reason: 'residency',
    });
    await client.chat.completions.create({
      model: 'assistant',
      messages: [{ role: 'user', content: 'My email is jane.doe@example.com, please update it.' }],
    });
    const pairs = await pairsOf(gw, 5);
    const last = pairs.at(-1)!;
    expect(last.candidate).toBe('llama-candidate');
    // What is stored is redacted too.
    expect(JSON.stringify(last.request)).not.toContain('jane.doe@example.com');
    expect(JSON.stringify(last.request)).toContain('[EMAIL_1]');
    expect(chatsOf(externalCandidate).length).toBe(before);
    expect(
      await metric(gw, 'switchyard_shadow_dropped_total', { route: 'support', reason: 'residency' }),
    ).toBe(dropped + 1);
  });
});

describe('shadow jobs', () => {
  it('drop copies beyond the queue, never a primary', async () => {
    const own = await startTestGateway(
      config(shadowedRoute({ candidates: ['llama-candidate'], maxConcurrency: 1, maxQueue: 2 })),
    );
    try {
      const own_client = new OpenAI({ baseURL: own.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          own_client.chat.completions.create({
            model: 'assistant',
            messages: [{ role: 'user', content: `q${i}` }],
          }),
        ),
      );
      expect(replies).toHaveLength(10);
      expect(
        await metric(own, 'switchyard_shadow_dropped_total', { route: 'support', reason: 'queue_full' }),
      ).toBe(7);
      expect(await pairsOf(own, 3)).toHaveLength(3);
    } finally {
      await own.close();
    }
  });

  it('end with the gateway while several copies of one route are in flight', async () => {
    const own = await startTestGateway(
      config(shadowedRoute({ candidates: ['llama-candidate'], maxConcurrency: 4 })),
    );
    const c = new OpenAI({ baseURL: own.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
    const before = chatsOf(internalCandidate).length;
    await Promise.all(
      [0, 1, 2].map((i) =>
        c.chat.completions.create({ model: 'assistant', messages: [{ role: 'user', content: `q${i}` }] }),
      ),
    );
    // All three copies are waiting on the slow candidate when the gateway shuts down.
    while (chatsOf(internalCandidate).length < before + 3) await new Promise((r) => setTimeout(r, 10));
    const closed = own.close().then(() => 'closed');
    const late = new Promise((r) => setTimeout(() => r('still closing'), 5 * CANDIDATE_DELAY_MS));
    expect(await Promise.race([closed, late])).toBe('closed');
  });

  it('stop at their budget and at their end date', async () => {
    const own = await startTestGateway({
      ...config(),
      routes: [
        {
          id: 'support',
          match: { model: 'assistant' },
          target: { deployment: 'primary' },
          // A copy costs about $0.00008 on the expensive candidate and reserves up to $0.00013 (16
          // tokens of output): the budget holds two or three.
          shadow: shadowedRoute({ candidates: ['cloud-candidate'], maxConcurrency: 1, budgetUsd: 0.0002 }),
        },
        {
          id: 'ended',
          match: { model: 'ended' },
          target: { deployment: 'primary' },
          shadow: shadowedRoute({ candidates: ['llama-candidate'], until: '2020-01-01' }),
        },
      ],
      models: [
        { name: 'assistant', deployments: ['primary'] },
        { name: 'ended', deployments: ['primary'] },
      ],
    });
    try {
      const c = new OpenAI({ baseURL: own.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
      for (let i = 0; i < 6; i++)
        await c.chat.completions.create({
          model: 'assistant',
          max_tokens: 16,
          messages: [{ role: 'user', content: `hi ${i}` }],
        });
      // Copies run one at a time: wait for any still running to land.
      await new Promise((r) => setTimeout(r, 3 * CANDIDATE_DELAY_MS));
      const pairs = await pairsOf(own, 0);
      const spent = pairs.reduce((s, p) => s + (p.shadow.costUsd ?? 0), 0);
      expect(pairs.length).toBeGreaterThan(0);
      expect(pairs.length).toBeLessThan(6);
      expect(spent).toBeLessThanOrEqual(0.0002);
      expect(
        await metric(own, 'switchyard_shadow_dropped_total', { route: 'support', reason: 'budget' }),
      ).toBeGreaterThan(0);

      await c.chat.completions.create({ model: 'ended', messages: [{ role: 'user', content: 'hi' }] });
      expect(await metric(own, 'switchyard_shadow_dropped_total', { route: 'ended', reason: 'until' })).toBe(
        1,
      );
    } finally {
      await own.close();
    }
  });

  it('choose requests by a stable hash of the conversation, the same on every replica', async () => {
    const routes = [
      {
        id: 'support',
        match: { model: 'assistant' },
        target: { deployment: 'primary' },
        // A fast candidate (the primary's own deployment), so each copy lands quickly.
        shadow: shadowedRoute({ candidates: ['primary'], sample: 0.5, score: undefined }),
      },
    ];
    const a = await startTestGateway({ ...config(), routes });
    const b = await startTestGateway({ ...config(), routes });
    try {
      const copied = async (gateway: TestGateway, session: string) => {
        const before = (await pairsOf(gateway, 0)).length;
        const c = new OpenAI({ baseURL: gateway.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
        await c.chat.completions.create(
          { model: 'assistant', messages: [{ role: 'user', content: 'hi' }] },
          { headers: { 'x-session-id': session } },
        );
        await new Promise((r) => setTimeout(r, 100));
        return (await pairsOf(gateway, 0)).length > before;
      };
      const sessions = Array.from({ length: 12 }, (_, i) => `conversation-${i}`);
      const onA: boolean[] = [];
      const onB: boolean[] = [];
      for (const session of sessions) onA.push(await copied(a, session));
      for (const session of sessions) onB.push(await copied(b, session));
      expect(onB).toEqual(onA);
      expect(onA.filter(Boolean).length).toBeGreaterThan(0);
      expect(onA.filter(Boolean).length).toBeLessThan(sessions.length);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('a pairwise judge on shadow pairs', () => {
  let judgeServer: Server;
  let judgeUrl: string;
  beforeAll(async () => {
    // A judge that always prefers answer A, whichever model it was: the verdicts are recorded as given.
    // Asked as `reasoning-judge-sim`, it reports 4 of its 5 output tokens as reasoning.
    judgeServer = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const model = (JSON.parse(body) as { model: string }).model;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'judge-1',
            object: 'chat.completion',
            created: 1,
            model,
            choices: [{ index: 0, message: { role: 'assistant', content: '[[A]]' }, finish_reason: 'stop' }],
            usage: {
              prompt_tokens: 100,
              completion_tokens: 5,
              total_tokens: 105,
              ...(model === 'reasoning-judge-sim'
                ? { completion_tokens_details: { reasoning_tokens: 4 } }
                : {}),
            },
          }),
        );
      });
    });
    await new Promise<void>((r) => judgeServer.listen(0, '127.0.0.1', r));
    judgeUrl = `http://127.0.0.1:${(judgeServer.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => judgeServer.close(() => r())));

  /** A gateway whose route shadows to the candidate and scores each pair with this judge. */
  const startJudgedGateway = (judge: { id: string; model: string; prices: Record<string, number> }) => {
    const base = config(
      shadowedRoute({ candidates: ['llama-candidate'], score: { scorer: 'judge', judge: judge.id } }),
    );
    return startTestGateway({
      ...base,
      deployments: [
        ...base.deployments!,
        { id: judge.id, baseUrl: judgeUrl, model: judge.model, location: 'internal', prices: judge.prices },
      ],
      models: [...base.models!, { name: judge.id, deployments: [judge.id] }],
    });
  };

  it('scores each pair as it completes and tracks the judge’s spend with the pair', async () => {
    const own = await startJudgedGateway({
      id: 'judge',
      model: 'judge-sim',
      prices: { inputPerMillionUsd: 10, outputPerMillionUsd: 10 },
    });
    try {
      const c = new OpenAI({ baseURL: own.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
      await c.chat.completions.create({
        model: 'assistant',
        messages: [{ role: 'user', content: 'Explain tides.' }],
      });
      const [pair] = await pairsOf(own, 1);
      expect(pair.scorer).toBe('judge');
      expect([-1, 0, 1]).toContain(pair.scoreDifference);
      expect(pair.judgeCostUsd).toBeCloseTo((100 * 10 + 5 * 10) / 1e6, 12);
      // The judge's calls are the gateway's own: they are not the caller's records either.
      expect((await own.records()).map((r) => r.modelRequested)).toEqual(['assistant']);
    } finally {
      await own.close();
    }
  });

  it('prices a reasoning judge’s reasoning tokens at its reasoning rate', async () => {
    const own = await startJudgedGateway({
      id: 'reasoning-judge',
      model: 'reasoning-judge-sim',
      prices: { inputPerMillionUsd: 10, outputPerMillionUsd: 10, reasoningPerMillionUsd: 100 },
    });
    try {
      const c = new OpenAI({ baseURL: own.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
      await c.chat.completions.create({
        model: 'assistant',
        messages: [{ role: 'user', content: 'Explain tides.' }],
      });
      const [pair] = await pairsOf(own, 1);
      // 100 input and 1 visible output token at $10 per million, 4 reasoning tokens at $100.
      expect(pair.judgeCostUsd).toBeCloseTo((100 * 10 + 1 * 10 + 4 * 100) / 1e6, 12);
    } finally {
      await own.close();
    }
  });
});
