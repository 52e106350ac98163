import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyStore } from '../../src/keys/sqlite-key-store.js';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

const REQUESTS_PER_MINUTE = 3;
const TEAM_TOKENS_PER_MINUTE = 500;

let sim: Simulator;
let gw: TestGateway;
let alice: { id: string; client: OpenAI };
let bob: { id: string; client: OpenAI };

beforeAll(async () => {
  sim = await startSimulator({ model: 'llama-sim', profile: 'vllm', outputTokens: 5 });
  gw = await startTestGateway({
    deployments: [
      {
        id: 'llama',
        baseUrl: sim.url,
        model: 'llama-sim',
        vendor: 'vllm',
        prices: { inputPerMillionUsd: 0.1, outputPerMillionUsd: 0.1 },
      },
    ],
    models: [{ name: 'gpt-4o', deployments: ['llama'] }],
    cost: {
      rateLimits: [
        { scope: 'key', requestsPerMinute: REQUESTS_PER_MINUTE },
        { scope: 'team', match: 'research', tokensPerMinute: TEAM_TOKENS_PER_MINUTE },
      ],
    },
  });
  const keys = createKeyStore(gw.dataDir);
  try {
    const a = keys.create({ name: 'alice', team: 'research' });
    const b = keys.create({ name: 'bob' });
    const client = (key: string) => new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: key, maxRetries: 0 });
    alice = { id: a.id, client: client(a.key) };
    bob = { id: b.id, client: client(b.key) };
  } finally {
    keys.close();
  }
});

afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

const hello = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 5 };

/** Go-style duration (`20s`, `1.5s`, `150ms`, `6m0s`) in milliseconds. */
function durationMs(text: string | null): number {
  const m = /^(?:(\d+)m)?(?:(\d+(?:\.\d+)?)(ms|s))?$/.exec(text ?? '');
  if (!m || text === '') throw new Error(`not a duration: ${text}`);
  const minutes = Number(m[1] ?? 0) * 60_000;
  const rest = m[2] === undefined ? 0 : Number(m[2]) * (m[3] === 's' ? 1000 : 1);
  return minutes + rest;
}

describe('requests per minute per key', () => {
  it('counts down in x-ratelimit headers, then refuses with rate_limit_exceeded naming the limit and the key', async () => {
    for (let i = 1; i <= REQUESTS_PER_MINUTE; i++) {
      const { response } = await bob.client.chat.completions.create(hello).withResponse();
      expect(response.headers.get('x-ratelimit-limit-requests')).toBe(String(REQUESTS_PER_MINUTE));
      expect(response.headers.get('x-ratelimit-remaining-requests')).toBe(String(REQUESTS_PER_MINUTE - i));
      // Full again after the used requests refill at limit / 60 s each: i × 20 s here.
      const resetMs = durationMs(response.headers.get('x-ratelimit-reset-requests'));
      expect(resetMs).toBeGreaterThan(0);
      expect(resetMs).toBeLessThanOrEqual((i * 60_000) / REQUESTS_PER_MINUTE);
    }

    const refused = await bob.client.chat.completions.create(hello).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const e = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.type).toBe('rate_limit_error');
    expect(e.message).toContain('requests per minute');
    expect(e.message).toContain(`key '${bob.id}'`);
    expect(e.message).toContain(`limit ${REQUESTS_PER_MINUTE}`);
    const retryAfter = Number(e.headers.get('retry-after'));
    const retryAfterMs = Number(e.headers.get('retry-after-ms'));
    // One request comes back every 60 / 3 = 20 s; some of that has already passed.
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60 / REQUESTS_PER_MINUTE);
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000 / REQUESTS_PER_MINUTE);
    expect(e.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    const record = (await gw.records()).find((r) => r.id === e.requestID);
    expect(record).toMatchObject({
      status: 429,
      errorCode: 'rate_limit_exceeded',
      keyId: bob.id,
      costUsd: 0,
    });
  });

  it('holds legacy completions and embeddings to the same exhausted bucket', async () => {
    const completion = await bob.client.completions
      .create({ model: 'gpt-4o', prompt: 'hi', max_tokens: 5 })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(completion).toBeInstanceOf(OpenAI.RateLimitError);
    expect((completion as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
    const embedding = await bob.client.embeddings.create({ model: 'gpt-4o', input: 'hi' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(embedding).toBeInstanceOf(OpenAI.RateLimitError);
    expect((embedding as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
  });

  it('gives every key its own bucket, the master key included', async () => {
    const { response } = await alice.client.chat.completions.create(hello).withResponse();
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe(String(REQUESTS_PER_MINUTE - 1));
    const master = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
    const m = await master.chat.completions.create(hello).withResponse();
    expect(m.response.headers.get('x-ratelimit-remaining-requests')).toBe(String(REQUESTS_PER_MINUTE - 1));
    // The team's token limit does not apply to a caller outside the team.
    expect(m.response.headers.get('x-ratelimit-limit-tokens')).toBeNull();
    // A streamed answer carries the headers too, before its first event.
    const streamed = await master.chat.completions.create({ ...hello, stream: true }).withResponse();
    expect(streamed.response.headers.get('content-type')).toContain('text/event-stream');
    expect(streamed.response.headers.get('x-ratelimit-remaining-requests')).toBe(
      String(REQUESTS_PER_MINUTE - 2),
    );
    for await (const chunk of streamed.data) void chunk;
  });
});

describe('tokens per minute per team', () => {
  it('counts input plus max_tokens against the team, and refuses a request larger than a whole minute for good', async () => {
    const { response } = await alice.client.chat.completions.create(hello).withResponse();
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe(String(TEAM_TOKENS_PER_MINUTE));
    const remaining = Number(response.headers.get('x-ratelimit-remaining-tokens'));
    expect(remaining).toBeLessThan(TEAM_TOKENS_PER_MINUTE - 2 * hello.max_tokens);

    const huge = await alice.client.chat.completions
      .create({ ...hello, max_tokens: TEAM_TOKENS_PER_MINUTE + 1 })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(huge).toBeInstanceOf(OpenAI.RateLimitError);
    const e = huge as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.message).toContain('tokens per minute');
    expect(e.message).toContain("team 'research'");
    expect(e.headers.get('x-should-retry')).toBe('false');
  });
});
