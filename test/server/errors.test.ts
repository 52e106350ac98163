import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type FaultMode, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

let sim: Simulator;
let gw: TestGateway;
let client: OpenAI;

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}`, ...headers },
    body,
  });

beforeAll(async () => {
  sim = await startSimulator({ model: 'llama-sim', outputTokens: 8, slowFirstTokenMs: 5000 });
  gw = await startTestGateway({
    server: { maxBodyBytes: 10_000 },
    // Every failure below is deliberate; a breaker opening between them would hide what each one does.
    breaker: { consecutiveFailures: 1000, minRequests: 1000 },
    deployments: [
      {
        id: 'llama-local',
        baseUrl: sim.url,
        model: 'llama-sim',
        location: 'internal',
        timeouts: { connectMs: 1000, totalMs: 1500, firstTokenMs: 800, idleMs: 500 },
      },
    ],
    models: [{ name: 'llama', deployments: ['llama-local'] }],
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

/** Makes the upstream misbehave in one way for the duration of `fn`. */
async function withFault<T>(mode: FaultMode, fn: () => Promise<T>): Promise<T> {
  sim.setBehaviour({ errorRate: 1, errorMode: mode });
  try {
    return await fn();
  } finally {
    sim.setBehaviour({ errorRate: 0 });
  }
}

describe('errors are OpenAI-shaped with the right status', () => {
  it('malformed JSON is 400 invalid_json', async () => {
    const res = await post('/v1/chat/completions', '{"model": "llama", "messages": [');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json', param: null });
    expect(body.error.message).toMatch(/JSON/);
  });

  it('a schema violation is 400 naming the field', async () => {
    const res = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 42 }] }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error.param).toBe('messages[0].content');
    expect(body.error.message).toContain('messages[0].content');
  });

  it('a missing model is 400 naming the parameter', async () => {
    const err = await client.chat.completions
      // @ts-expect-error deliberately invalid request
      .create({ messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('model');
  });

  it('an unknown model is 404 model_not_found', async () => {
    const err = await client.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });

  it('an oversized body is 413', async () => {
    const res = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'x'.repeat(20_000) }] }),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
  });

  it('no key and a wrong key are 401', async () => {
    const none = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    const wrong = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: 'sk-wrong', maxRetries: 0 });
    const err = await wrong.models.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("an upstream 4xx is passed through with the upstream's message", async () => {
    const err = await withFault('http400_context_length', () =>
      client.chat.completions
        .create({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.code).toBe('context_length_exceeded');
    expect(e.message).toMatch(/context length/i);
  });

  it('an upstream 5xx is 502 and a reset is 502', async () => {
    for (const mode of ['http500', 'reset'] as const) {
      const err = await withFault(mode, () =>
        client.chat.completions
          .create({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] })
          .catch((e: unknown) => e),
      );
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    }
  });

  it('an upstream that hangs is 504 after the deployment timeout', async () => {
    const err = await withFault('hang', () =>
      client.chat.completions
        .create({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e),
    );
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_timeout');
  });

  it('a stream whose first token does not come in time is a clean 504 before any byte is sent', async () => {
    const err = await withFault('slowFirstToken', () =>
      client.chat.completions
        .create({ model: 'llama', messages: [{ role: 'user', content: 'hi' }], stream: true })
        .catch((e: unknown) => e),
    );
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_first_token_timeout');
  });

  it('a stream that dies after the first token ends with an explicit error, and the record says truncated', async () => {
    const finishes: Array<string | null> = [];
    const err = await withFault('dieMidStream', async () => {
      const stream = await client.chat.completions.create({
        model: 'llama',
        messages: [{ role: 'user', content: 'tell me a long story' }],
        stream: true,
        max_tokens: 64,
      });
      for await (const chunk of stream) finishes.push(chunk.choices[0]?.finish_reason ?? null);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(finishes).not.toContain('stop');
    const record = (await gw.records()).filter((r) => r.streamed).at(-1)!;
    expect(record).toMatchObject({ truncated: true, finishReason: 'error' });
    expect(record.route?.attempts.at(-1)?.outcome).toMatch(/^truncated:/);
    expect(record.errorCode).not.toBeNull();
  });

  it('every error request is still recorded', async () => {
    const records = await gw.records();
    const statuses = records.map((r) => r.status);
    for (const s of [400, 404, 413, 502, 504]) expect(statuses).toContain(s);
  });
});

describe('client disconnects', () => {
  it('aborting a stream mid-way aborts the upstream request', async () => {
    sim.setBehaviour({ tokensPerSecond: 50, outputTokens: 200 });
    try {
      const aborted = sim.stats.abortedByClient;
      const controller = new AbortController();
      const stream = await client.chat.completions.create(
        { model: 'llama', messages: [{ role: 'user', content: 'long answer' }], stream: true },
        { signal: controller.signal },
      );
      let n = 0;
      await (async () => {
        for await (const _ of stream) if (++n === 3) controller.abort();
      })().catch(() => {});
      await expect.poll(() => sim.stats.abortedByClient, { timeout: 3000 }).toBe(aborted + 1);
      await expect
        .poll(async () =>
          (await gw.records()).some((r) => r.status === 499 && r.errorCode === 'client_closed_request'),
        )
        .toBe(true);
    } finally {
      sim.setBehaviour({ tokensPerSecond: 0, outputTokens: 8 });
    }
  });
});
