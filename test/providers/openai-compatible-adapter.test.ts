import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { BUILTIN_VENDORS } from '../../src/config/builtin-vendors.js';
import type { VendorQuirks } from '../../src/config/schema/vendor-schema.js';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../../src/spec/chat.js';
import type { Deployment } from '../../src/spec/deployment.js';
import { UpstreamError } from '../../src/spec/gateway-error.js';
import { createProviderRegistry, type ProviderRegistry } from '../../src/providers/registry.js';
import {
  fixtureJson,
  readFixture,
  sseChunks,
  startRecordedUpstream,
  type RecordedUpstream,
} from '../support/recorded-upstream.js';
import { callContext, caught, drain, makeDeployment } from './make-deployment.js';

const CHAT = 'POST /v1/chat/completions';
const vendors: Record<string, VendorQuirks> = {
  ...BUILTIN_VENDORS,
  legacy: {
    authHeader: 'x-api-key',
    authScheme: '',
    rejects: ['seed'],
    maxTokensField: 'max_tokens',
    supportsStreamUsage: false,
    extraHeaders: { 'x-vendor-feature': 'on' },
  },
};

let upstream: RecordedUpstream;
let registry: ProviderRegistry;
let deployment: Deployment;

const request = (extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'public-name',
  messages: [{ role: 'user', content: 'Hello!' }],
  ...extra,
});
const adapter = () => registry.get('openai-compatible');
const sseFixture = (name: string) => readFixture(`openai/${name}`);
const chunksOf = (name: string) =>
  sseFixture(name)
    .split('\n\n')
    .filter((l) => l.startsWith('data: {'))
    .map((l) => JSON.parse(l.slice(6)) as ChatCompletionChunk);

beforeAll(async () => {
  upstream = await startRecordedUpstream();
  registry = createProviderRegistry(vendors);
  deployment = makeDeployment({ baseUrl: `${upstream.url}/v1` });
});
afterEach(() => {
  upstream.requests.length = 0;
});
afterAll(async () => {
  await registry.close();
  await upstream.close();
});

describe('openai-compatible chat', () => {
  it('returns the upstream completion and sends the client body with the deployment model', async () => {
    upstream.route(CHAT, {
      json: fixtureJson('openai/chat-completion.json'),
      headers: { 'X-Request-Id': 'upstream-42', 'x-ratelimit-remaining-requests': '99' },
    });
    const result = await adapter().chat(
      request({ temperature: 0.2, custom_vendor_knob: { a: 1 }, stream: false, stream_options: null }),
      callContext(deployment),
    );
    expect(result.completion).toEqual(fixtureJson('openai/chat-completion.json'));
    expect(result.upstreamHeaders['x-request-id']).toBe('upstream-42');
    expect(result.upstreamHeaders['x-ratelimit-remaining-requests']).toBe('99');

    const sent = upstream.requests[0];
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.headers['x-request-id']).toBe('req-123');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      model: 'upstream-model',
      messages: [{ role: 'user', content: 'Hello!' }],
      temperature: 0.2,
      custom_vendor_knob: { a: 1 },
    });
  });

  it('passes tool calls through untouched', async () => {
    upstream.route(CHAT, { json: fixtureJson('openai/chat-completion-tool-calls.json') });
    const { completion } = await adapter().chat(request(), callContext(deployment));
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    expect(completion.choices[0].message.tool_calls?.[0].function.name).toBe('get_current_weather');
  });

  it('reuses one kept-alive connection for consecutive calls', async () => {
    upstream.route(CHAT, { json: fixtureJson('openai/chat-completion.json') });
    await adapter().chat(request(), callContext(deployment));
    await nextTick();
    await adapter().chat(request(), callContext(deployment));
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[1].remotePort).toBe(upstream.requests[0].remotePort);
  });
});

describe('openai-compatible chat streaming', () => {
  it('yields the recorded chunks, usage chunk included, and asks for usage', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('chat-stream.sse')) });
    const stream = await adapter().chatStream(
      request({ stream: true, stream_options: { include_usage: false, continuous_usage_stats: true } }),
      callContext(deployment),
    );
    const chunks = await drain(stream.chunks);
    expect(chunks).toEqual(chunksOf('chat-stream.sse'));
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(29);
    expect(stream.upstreamHeaders['content-type']).toBe('text/event-stream');
    expect(upstream.requests[0].body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
    });
  });

  it('reads a stream cut into 5-byte pieces the same way', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('chat-stream.sse'), { everyBytes: 5 }) });
    const stream = await adapter().chatStream(request(), callContext(deployment));
    const text = (await drain(stream.chunks)).map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Hello! How can I assist you today?');
  });

  it('streams tool call deltas whose arguments join into JSON', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('chat-stream-tool-calls.sse')) });
    const stream = await adapter().chatStream(request(), callContext(deployment));
    const chunks = await drain(stream.chunks);
    const args = chunks
      .flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
      .map((t) => t.function?.arguments ?? '');
    expect(JSON.parse(args.join(''))).toEqual({ location: 'Paris, France' });
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe('tool_calls');
  });

  it('turns an error sent inside the stream into an UpstreamError after the chunks before it', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('vllm-stream-midstream-error.sse')) });
    const stream = await adapter().chatStream(request(), callContext(deployment));
    const seen: string[] = [];
    const err = await caught(async () => {
      for await (const c of stream.chunks) seen.push(c.choices[0]?.delta.content ?? '');
    });
    expect(seen).toEqual(['', 'Once upon']);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({
      kind: 'http_5xx',
      message: 'The engine is dead. Please check the stack trace above for the root cause.',
      deployment: 'test-deployment',
    });
  });

  it('reports a stream that ended before the answer finished as a protocol failure', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('chat-stream-truncated.sse')) });
    const stream = await adapter().chatStream(request(), callContext(deployment));
    const err = await caught(() => drain(stream.chunks));
    expect(err).toMatchObject({ kind: 'protocol' });
  });

  it('reports a connection reset mid-stream as a connection failure', async () => {
    upstream.route(CHAT, {
      chunks: sseChunks(sseFixture('chat-stream-truncated.sse')),
      resetAfterChunks: true,
    });
    const stream = await adapter().chatStream(request(), callContext(deployment));
    const err = await caught(() => drain(stream.chunks));
    expect(err).toMatchObject({ kind: 'connection' });
  });

  it('refuses a JSON error answered with 200 to a streaming request', async () => {
    upstream.route(CHAT, { json: fixtureJson('openai/error-invalid-request.json') });
    const err = await caught(() => adapter().chatStream(request(), callContext(deployment)));
    expect(err).toMatchObject({
      kind: 'http_4xx',
      status: 400,
      message: "Invalid value for 'temperature': must be between 0 and 2.",
    });
  });
});

describe('vendor quirks', () => {
  it('removes the fields a vendor rejects', async () => {
    upstream.route(CHAT, { json: fixtureJson('openai/chat-completion.json') });
    const groq = makeDeployment({ baseUrl: `${upstream.url}/v1`, vendor: 'groq' });
    await adapter().chat(
      request({ logprobs: true, top_logprobs: 2, logit_bias: { '1': 2 }, seed: 7 }),
      callContext(groq),
    );
    const body = upstream.requests[0].body as Record<string, unknown>;
    expect(body).not.toHaveProperty('logprobs');
    expect(body).not.toHaveProperty('top_logprobs');
    expect(body).not.toHaveProperty('logit_bias');
    expect(body.seed).toBe(7);
  });

  it('renames the output limit, uses the vendor auth header and extra headers, and skips stream usage', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('chat-stream.sse')) });
    const legacy = makeDeployment({
      baseUrl: `${upstream.url}/v1`,
      vendor: 'legacy',
      headers: { 'X-Team': 'search' },
    });
    const stream = await adapter().chatStream(
      request({ max_completion_tokens: 300, seed: 1, stream_options: { include_usage: true } }),
      callContext(legacy),
    );
    await drain(stream.chunks);
    const sent = upstream.requests[0];
    expect(sent.headers['x-api-key']).toBe('sk-test');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers['x-vendor-feature']).toBe('on');
    expect(sent.headers['x-team']).toBe('search');
    expect(sent.body).toEqual({
      model: 'upstream-model',
      messages: [{ role: 'user', content: 'Hello!' }],
      max_tokens: 300,
      stream: true,
    });
  });

  it('passes the output limit as sent to OpenAI, and renames it and drops stream_options for Mistral', async () => {
    upstream.route(CHAT, [
      { json: fixtureJson('openai/chat-completion.json') },
      { chunks: sseChunks(sseFixture('chat-stream.sse')) },
    ]);
    await adapter().chat(request({ max_tokens: 50 }), callContext(deployment));
    const mistral = makeDeployment({ baseUrl: `${upstream.url}/v1`, vendor: 'mistral' });
    await drain(
      (await adapter().chatStream(request({ max_completion_tokens: 60 }), callContext(mistral))).chunks,
    );
    expect(upstream.requests[0].body).toMatchObject({ max_tokens: 50 });
    expect(upstream.requests[0].body).not.toHaveProperty('max_completion_tokens');
    expect(upstream.requests[1].body).toEqual({
      model: 'upstream-model',
      messages: [{ role: 'user', content: 'Hello!' }],
      max_tokens: 60,
      stream: true,
    });
  });

  it('shows a validation report sent as the error message', async () => {
    upstream.route(CHAT, { status: 422, json: fixtureJson('openai/mistral-error-extra-forbidden.json') });
    const err = await caught(() => adapter().chat(request(), callContext(deployment)));
    expect(err).toMatchObject({ kind: 'http_4xx', status: 422 });
    expect((err as Error).message).toContain('Extra inputs are not permitted');
  });

  it('addresses Azure OpenAI deployments by URL with api-version and the api-key header', async () => {
    upstream.route('POST /openai/deployments/gpt-4o-prod/chat/completions', {
      json: fixtureJson('openai/chat-completion.json'),
    });
    const azure = makeDeployment({
      baseUrl: upstream.url,
      vendor: 'azure',
      azure: { deployment: 'gpt-4o-prod', apiVersion: '2024-10-21' },
    });
    await adapter().chat(request(), callContext(azure));
    const sent = upstream.requests[0];
    expect(sent.path).toBe('/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21');
    expect(sent.headers['api-key']).toBe('sk-test');
    expect(sent.headers.authorization).toBeUndefined();
  });

  it('does not add /openai twice when the Azure base URL already ends with it', async () => {
    upstream.route('POST /openai/deployments/emb/embeddings', {
      json: fixtureJson('openai/embeddings.json'),
    });
    const azure = makeDeployment({
      baseUrl: `${upstream.url}/openai`,
      vendor: 'azure',
      azure: { deployment: 'emb', apiVersion: '2024-10-21' },
    });
    await adapter().embeddings!({ model: 'x', input: 'hi' }, callContext(azure));
    expect(upstream.requests[0].path).toBe('/openai/deployments/emb/embeddings?api-version=2024-10-21');
  });
});

describe('completions and embeddings', () => {
  it('serves legacy completions, streamed and not, and embeddings', async () => {
    upstream.route('POST /v1/completions', [
      { json: fixtureJson('openai/completion.json') },
      { chunks: sseChunks(sseFixture('completion-stream.sse')) },
    ]);
    upstream.route('POST /v1/embeddings', { json: fixtureJson('openai/embeddings.json') });
    const ctx = callContext(deployment);

    const once = await adapter().completions!({ model: 'm', prompt: 'Say this is a test' }, ctx);
    expect(once.body).toEqual(fixtureJson('openai/completion.json'));

    const events = await drain(await adapter().completionsStream!({ model: 'm', prompt: 'Say this' }, ctx));
    expect(events.map((e) => (e.choices as Array<{ text: string }>)[0]?.text ?? '').join('')).toBe(
      '\n\nThis is a test.',
    );
    expect(events.at(-1)?.usage).toEqual({ prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 });
    expect(upstream.requests[1].body).toMatchObject({
      model: 'upstream-model',
      stream: true,
      stream_options: { include_usage: true },
    });

    const emb = await adapter().embeddings!({ model: 'm', input: 'The food was delicious' }, ctx);
    expect(emb.body.data).toHaveLength(1);
    expect(upstream.requests[2].body).toEqual({ model: 'upstream-model', input: 'The food was delicious' });
  });
});

describe('openai-compatible failures', () => {
  const cases: Array<{ name: string; status: number; fixture: string; kind: string; clientStatus: number }> =
    [
      {
        name: 'a 400 passes the upstream message',
        status: 400,
        fixture: 'error-invalid-request.json',
        kind: 'http_4xx',
        clientStatus: 400,
      },
      {
        name: "OpenAI's context_length_exceeded",
        status: 400,
        fixture: 'error-context-length.json',
        kind: 'context_length',
        clientStatus: 400,
      },
      {
        name: "vLLM's maximum context length message",
        status: 400,
        fixture: 'vllm-error-context-length.json',
        kind: 'context_length',
        clientStatus: 400,
      },
      {
        name: "TGI's inputs + max_new_tokens message",
        status: 422,
        fixture: 'tgi-error-context-length.json',
        kind: 'context_length',
        clientStatus: 422,
      },
      {
        name: "Azure's content filter",
        status: 400,
        fixture: 'azure-error-content-filter.json',
        kind: 'content_filter',
        clientStatus: 400,
      },
      {
        name: 'a 500',
        status: 500,
        fixture: 'error-invalid-request.json',
        kind: 'http_5xx',
        clientStatus: 502,
      },
    ];
  for (const c of cases) {
    it(`classifies ${c.name}`, async () => {
      const body = fixtureJson<Record<string, unknown>>(`openai/${c.fixture}`);
      upstream.route(CHAT, { status: c.status, json: body });
      const err = await caught(() => adapter().chat(request(), callContext(deployment)));
      expect(err).toBeInstanceOf(UpstreamError);
      const e = err as UpstreamError;
      expect(e.kind).toBe(c.kind);
      expect(e.status).toBe(c.clientStatus);
      expect(e.upstreamStatus).toBe(c.status);
      expect(e.upstreamBody).toEqual(body);
      const inner = body.error;
      const expected =
        typeof inner === 'string' ? inner : ((inner as { message?: string })?.message ?? body.message);
      expect(e.message).toBe(expected);
    });
  }

  it('reads the wait from retry-after-ms, retry-after seconds and retry-after dates on a 429', async () => {
    const body = fixtureJson('openai/error-rate-limit.json');
    const date = new Date(Date.now() + 120_000).toUTCString();
    upstream.route(CHAT, [
      { status: 429, json: body, headers: { 'retry-after-ms': '1420', 'retry-after': '2' } },
      { status: 429, json: body, headers: { 'retry-after': '3' } },
      { status: 429, json: body, headers: { 'retry-after': date } },
      { status: 429, json: body },
    ]);
    const waits: Array<number | undefined> = [];
    for (let i = 0; i < 4; i++) {
      const err = (await caught(() => adapter().chat(request(), callContext(deployment)))) as UpstreamError;
      expect(err.kind).toBe('rate_limited');
      expect(err.status).toBe(429);
      waits.push(err.retryAfterMs);
    }
    expect(waits[0]).toBe(1420);
    expect(waits[1]).toBe(3000);
    expect(waits[2]).toBeGreaterThan(100_000);
    expect(waits[2]).toBeLessThanOrEqual(120_000);
    expect(waits[3]).toBeUndefined();
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    const dead = makeDeployment({ baseUrl: `http://127.0.0.1:${port}/v1` });
    const err = await caught(() => adapter().chat(request(), callContext(dead)));
    expect(err).toMatchObject({ kind: 'connection', status: 502 });
  });

  it('gives up when no headers arrive within connectMs, and the upstream sees the hang-up', async () => {
    upstream.route(CHAT, { hang: true });
    const slow = makeDeployment({
      baseUrl: `${upstream.url}/v1`,
      timeouts: { connectMs: 150, firstTokenMs: 5_000, idleMs: 5_000, totalMs: 10_000 },
    });
    const err = await caught(() => adapter().chat(request(), callContext(slow)));
    expect(err).toMatchObject({ kind: 'timeout', status: 504 });
    expect(await upstream.requests[0].closed).toEqual({ aborted: true });
  });

  it('reports a 200 whose body is not JSON as a protocol failure', async () => {
    upstream.route(CHAT, { body: '<html>gateway page</html>', headers: { 'content-type': 'text/html' } });
    const err = await caught(() => adapter().chat(request(), callContext(deployment)));
    expect(err).toMatchObject({ kind: 'protocol', status: 502 });
  });
});

describe('cancellation', () => {
  it('closes the upstream socket when the signal aborts before headers', async () => {
    upstream.route(CHAT, { hang: true });
    const controller = new AbortController();
    const pending = caught(() => adapter().chat(request(), callContext(deployment, controller.signal)));
    const seen = await upstream.waitForRequest(0);
    controller.abort();
    expect(await pending).toBeInstanceOf(UpstreamError);
    expect(await seen.closed).toEqual({ aborted: true });
  });

  it('closes the upstream socket when the signal aborts mid-stream, and the iterator stops', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('chat-stream-truncated.sse')), holdOpen: true });
    const controller = new AbortController();
    const stream = await adapter().chatStream(request(), callContext(deployment, controller.signal));
    const it = stream.chunks[Symbol.asyncIterator]();
    await it.next();
    controller.abort();
    const err = await caught(async () => {
      while (!(await it.next()).done);
    });
    expect(err).toBeInstanceOf(UpstreamError);
    expect(await upstream.requests[0].closed).toEqual({ aborted: true });
  });

  it('throws the UpstreamError the signal was aborted with', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('chat-stream-truncated.sse')), holdOpen: true });
    const controller = new AbortController();
    const stream = await adapter().chatStream(request(), callContext(deployment, controller.signal));
    const it = stream.chunks[Symbol.asyncIterator]();
    await it.next();
    const stall = new UpstreamError({
      kind: 'stall',
      message: 'no event for 30000 ms',
      deployment: 'test-deployment',
    });
    controller.abort(stall);
    const err = await caught(async () => {
      while (!(await it.next()).done);
    });
    expect(err).toBe(stall);
  });

  it('closes the upstream socket when the consumer stops iterating', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('chat-stream-truncated.sse')), holdOpen: true });
    const stream = await adapter().chatStream(request(), callContext(deployment));
    for await (const chunk of stream.chunks) {
      if (chunk.choices[0]?.delta.content === 'Hello') break;
    }
    expect(await upstream.requests[0].closed).toEqual({ aborted: true });
  });

  it('releases a stalled stream when the consumer returns while a read is pending', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('chat-stream-truncated.sse')), holdOpen: true });
    const stream = await adapter().chatStream(request(), callContext(deployment));
    const it = stream.chunks[Symbol.asyncIterator]();
    await it.next();
    await it.next();
    const pending = it.next().catch((err: unknown) => err);
    await it.return?.();
    expect(await upstream.requests[0].closed).toEqual({ aborted: true });
    expect(await pending).toBeInstanceOf(UpstreamError);
  });

  it('leaves a finished stream on a connection the next call reuses', async () => {
    upstream.route(CHAT, { chunks: sseChunks(sseFixture('chat-stream.sse')) });
    await drain((await adapter().chatStream(request(), callContext(deployment))).chunks);
    await nextTick();
    await drain((await adapter().chatStream(request(), callContext(deployment))).chunks);
    expect(await upstream.requests[0].closed).toEqual({ aborted: false });
    expect(upstream.requests[1].remotePort).toBe(upstream.requests[0].remotePort);
  });
});

/** undici returns a socket to its pool one turn of the event loop after the body ends. */
function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
