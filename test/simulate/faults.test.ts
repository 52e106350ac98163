import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';

let sim: Simulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ model: 'llama-sim', outputTokens: 10, slowFirstTokenMs: 150 });
  client = new OpenAI({ baseURL: sim.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => sim.close());

const fault = (mode: string) => ({ headers: { 'x-simulate-fault': mode } });
const chat = () => ({ model: 'llama-sim', messages: [{ role: 'user' as const, content: 'hi' }] });
const streamChat = () => ({ ...chat(), stream: true as const });

async function collect(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  try {
    for await (const c of stream) chunks.push(c);
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

describe('fault injection per request (x-simulate-fault)', () => {
  it('reset drops the connection without an answer', async () => {
    await expect(client.chat.completions.create(chat(), fault('reset'))).rejects.toBeInstanceOf(
      OpenAI.APIConnectionError,
    );
    expect(sim.stats.last?.fault).toBe('reset');
  });

  it('http500 is a server error in OpenAI shape', async () => {
    const err = await client.chat.completions.create(chat(), fault('http500')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.APIError>).type).toBe('server_error');
  });

  it('http429 is a rate limit with Retry-After', async () => {
    const err = await client.chat.completions.create(chat(), fault('http429')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.headers.get('retry-after')).toBe('1');
    expect(e.code).toBe('rate_limit_exceeded');
  });

  it('http400_context_length is the context_length_exceeded error', async () => {
    const err = await client.chat.completions
      .create(chat(), fault('http400_context_length'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.code).toBe('context_length_exceeded');
    expect(e.message).toMatch(/maximum context length/);
  });

  it('hang never answers; the client giving up is seen as an abort', async () => {
    const aborted = sim.stats.abortedByClient;
    const err = await client.chat.completions
      .create(chat(), { ...fault('hang'), timeout: 300 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    await expect.poll(() => sim.stats.abortedByClient).toBe(aborted + 1);
    await expect.poll(() => sim.stats.inFlight).toBe(0);
  });

  it('slowFirstToken sends headers and the role chunk, then the full answer late', async () => {
    const stream = await client.chat.completions.create(streamChat(), fault('slowFirstToken'));
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
    expect(sim.stats.last?.fault).toBe('slowFirstToken');
  });

  it('dieMidStream sends some content, then drops the connection with no finish reason', async () => {
    const stream = await client.chat.completions.create(streamChat(), fault('dieMidStream'));
    const { chunks, error } = await collect(stream);
    expect(error).toBeDefined();
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
    expect(sim.stats.last?.abortedByClient).toBe(false);

    // Non-streaming: status and headers arrive, then the body breaks off.
    await expect(client.chat.completions.create(chat(), fault('dieMidStream'))).rejects.toThrow(/terminated/);
  });

  it('content_filter cuts the answer short with finish_reason content_filter', async () => {
    const done = await client.chat.completions.create(chat(), fault('content_filter'));
    expect(done.choices[0].finish_reason).toBe('content_filter');
    expect(done.usage?.completion_tokens).toBe(5);
    const { chunks } = await collect(
      await client.chat.completions.create(streamChat(), fault('content_filter')),
    );
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('content_filter');
  });

  it('rejects an unknown fault name', async () => {
    const err = await client.chat.completions.create(chat(), fault('meteor')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/x-simulate-fault must be one of/);
  });
});

describe('fault injection by rate', () => {
  it('fails every request at errorRate 1 and none at 0, counting what it injected', async () => {
    sim.stats.reset();
    sim.setBehaviour({ errorRate: 1, errorMode: 'http500' });
    try {
      for (let i = 0; i < 3; i++)
        await expect(client.chat.completions.create(chat())).rejects.toBeInstanceOf(
          OpenAI.InternalServerError,
        );
      // Only generation endpoints fail; listing models still works.
      await expect(client.models.list()).resolves.toBeDefined();
    } finally {
      sim.setBehaviour({ errorRate: 0 });
    }
    await expect(client.chat.completions.create(chat())).resolves.toMatchObject({
      object: 'chat.completion',
    });
    expect(sim.stats.faultsInjected).toEqual({ http500: 3 });
  });

  it('applies the x-simulate-ttft-ms override and still answers', async () => {
    const done = await client.chat.completions.create(chat(), { headers: { 'x-simulate-ttft-ms': '20' } });
    expect(done.choices[0].finish_reason).toBe('stop');
    const bad = await client.chat.completions
      .create(chat(), { headers: { 'x-simulate-ttft-ms': 'soon' } })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('takes answer length and speed overrides per request, refusing bad ones before streaming', async () => {
    const done = await client.chat.completions.create(chat(), {
      headers: { 'x-simulate-output-tokens': '3', 'x-simulate-tokens-per-second': '500' },
    });
    expect(done.usage?.completion_tokens).toBe(3);
    const err = await client.chat.completions
      .create(streamChat(), { headers: { 'x-simulate-tokens-per-second': '-1' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
  });
});
