import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureJson,
  readFixture,
  sseChunks,
  startRecordedUpstream,
  type RecordedUpstream,
} from '../support/recorded-upstream.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Embeddings and legacy completions run on the same executor as chat: a pool falls over in order on
 * the same failures (a malformed or truncated 200 included), failures feed the breaker, streams are
 * bounded by the same watchdogs and end with an explicit error when they break.
 */

let upstream: RecordedUpstream;
let gw: TestGateway;
let client: OpenAI;

const embeddings = fixtureJson('openai/embeddings.json');
const completion = fixtureJson('openai/completion.json');
const chatCompletion = fixtureJson('openai/chat-completion.json');
const timeouts = { connectMs: 500, firstTokenMs: 400, idleMs: 400, totalMs: 600 };

beforeAll(async () => {
  upstream = await startRecordedUpstream();
  gw = await startTestGateway({
    // Every failure here is deliberate: an open breaker would change which deployment is tried.
    breaker: { consecutiveFailures: 1000, minRequests: 1000 },
    deployments: [deployment('a'), deployment('b')],
    models: [{ name: 'pool', deployments: ['a', 'b'] }],
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

afterEach(() => {
  upstream.requests.length = 0;
});

function deployment(id: string) {
  return {
    id,
    baseUrl: `${upstream.url}/${id}/v1`,
    model: 'upstream-model',
    location: 'internal' as const,
    timeouts,
  };
}

const served = () => upstream.requests.map((r) => r.pathname.split('/')[1]);

describe('embeddings on a pool', () => {
  it.each([
    ['a 503', { status: 503, json: { error: { message: 'overloaded', type: 'server_error' } } }],
    ['a 200 whose body is not an embeddings list', { json: { data: 'not a list' } }],
    ['a 200 with a vector that is not numbers', { json: { data: [{ embedding: ['x'] }] } }],
    [
      'a truncated 200',
      {
        body: '{"object":"list","data":[{"embedding":[0.1,',
        headers: { 'content-type': 'application/json' },
      },
    ],
  ])('falls over in order on %s', async (_name, reply) => {
    upstream.route('POST /a/v1/embeddings', reply);
    upstream.route('POST /b/v1/embeddings', { json: embeddings });
    const { data, response } = await client.embeddings
      .create({ model: 'pool', input: 'The food was delicious.', encoding_format: 'float' })
      .withResponse();
    expect(data.data[0].embedding.length).toBeGreaterThan(0);
    expect(served()).toEqual(['a', 'b']);
    expect(response.headers.get('x-switchyard-route')).toMatch(/target=b.*failed=a:/);
  });

  it('bounds an embeddings call by totalMs and falls over', async () => {
    upstream.route('POST /a/v1/embeddings', { hang: true });
    upstream.route('POST /b/v1/embeddings', { json: embeddings });
    const { response } = await client.embeddings.create({ model: 'pool', input: 'hi' }).withResponse();
    expect(response.headers.get('x-switchyard-route')).toContain('failed=a:timeout');
  });

  it("feeds the deployment's breaker, which then fails fast", async () => {
    const own = await startTestGateway({
      breaker: { consecutiveFailures: 3, minRequests: 1000, cooldownMs: 60_000 },
      deployments: [deployment('flaky')],
      models: [{ name: 'flaky-only', deployments: ['flaky'] }],
    });
    try {
      const flakyClient = new OpenAI({ baseURL: own.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
      upstream.route('POST /flaky/v1/embeddings', { status: 500, json: { error: { message: 'boom' } } });
      // One request, asked again twice by the default retry policy: three failures in a row.
      await expect(flakyClient.embeddings.create({ model: 'flaky-only', input: 'hi' })).rejects.toMatchObject(
        {
          status: 502,
        },
      );
      expect(upstream.requests).toHaveLength(3);
      const backends = (await (
        await fetch(`${own.url}/admin/backends`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })
      ).json()) as { deployments: Array<{ id: string; breaker: string }> };
      expect(backends.deployments.find((d) => d.id === 'flaky')?.breaker).toBe('open');
      const before = upstream.requests.length;
      await expect(flakyClient.embeddings.create({ model: 'flaky-only', input: 'hi' })).rejects.toMatchObject(
        {
          status: 503,
          code: 'no_backend_available',
        },
      );
      expect(upstream.requests.length).toBe(before);
    } finally {
      await own.close();
    }
  });
});

describe('legacy completions', () => {
  it('falls over on a malformed 200', async () => {
    upstream.route('POST /a/v1/completions', { json: { choices: [{ text: 7 }] } });
    upstream.route('POST /b/v1/completions', { json: completion });
    const reply = await client.completions.create({ model: 'pool', prompt: 'Say this is a test' });
    expect(reply.choices[0].text.length).toBeGreaterThan(0);
    expect(served()).toEqual(['a', 'b']);
  });

  it('streams with the same framing as chat, and falls over when no first token comes in time', async () => {
    upstream.route('POST /a/v1/completions', {
      chunks: sseChunks(readFixture('openai/completion-stream.sse'), { delayMs: 1000 }),
    });
    upstream.route('POST /b/v1/completions', {
      chunks: sseChunks(readFixture('openai/completion-stream.sse')),
    });
    const res = await fetch(`${gw.openaiBaseURL}/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'pool', prompt: 'Say this is a test', stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('x-switchyard-route')).toContain('failed=a:first_token_timeout');
    const text = await res.text();
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('ends a stream that breaks after its first token with an explicit error, and records it truncated', async () => {
    const events = sseChunks(readFixture('openai/completion-stream.sse'));
    upstream.route('POST /a/v1/completions', { chunks: events.slice(0, 2), resetAfterChunks: true });
    const stream = await client.completions.create({
      model: 'pool',
      prompt: 'Say this is a test',
      stream: true,
    });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.text ?? '');
    })().catch((e: unknown) => e);
    expect(seen.join('').length).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(Error);
    const record = (await gw.records()).at(-1)!;
    expect(record).toMatchObject({
      endpoint: 'completions',
      deploymentId: 'a',
      truncated: true,
      streamed: true,
    });
    expect(record.route?.attempts.at(-1)?.outcome).toMatch(/^truncated:/);
  });
});

describe('chat', () => {
  it('falls over on a 200 whose body is not a chat completion, instead of failing with a 500', async () => {
    upstream.route('POST /a/v1/chat/completions', { json: { choices: [{ message: 42 }] } });
    upstream.route('POST /b/v1/chat/completions', { json: chatCompletion });
    const { data, response } = await client.chat.completions
      .create({ model: 'pool', messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('Hello! How can I assist you today?');
    expect(response.headers.get('x-switchyard-route')).toContain('failed=a:protocol');
  });

  it('tries a pool in the order configured, even when the first is busier', async () => {
    upstream.route('POST /a/v1/chat/completions', { json: chatCompletion, headersDelayMs: 50 });
    upstream.route('POST /b/v1/chat/completions', { json: chatCompletion });
    await Promise.all(
      Array.from({ length: 10 }, () =>
        client.chat.completions.create({ model: 'pool', messages: [{ role: 'user', content: 'Hi' }] }),
      ),
    );
    expect(served()).toEqual(Array.from({ length: 10 }, () => 'a'));
  });
});
