import { createRequire } from 'node:module';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';

interface PromFamily {
  name: string;
  type: string;
  metrics: Array<{
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
  }>;
}
const parseProm = createRequire(import.meta.url)('parse-prometheus-text-format') as (
  text: string,
) => PromFamily[];

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function metrics(s: Simulator): Promise<Map<string, PromFamily>> {
  const text = await (await fetch(`${s.origin}/metrics`)).text();
  return new Map(parseProm(text).map((f) => [f.name, f]));
}

const gauge = (m: Map<string, PromFamily>, name: string) => Number(m.get(name)?.metrics[0].value);

describe('capacity: queueing and slowdown', () => {
  it('runs at most maxConcurrent requests and queues the rest, as /metrics and stats show', async () => {
    sim = await startSimulator({ model: 'llama-sim', capacity: 1, maxConcurrent: 2, ttftMs: 60_000 });
    const s = sim;
    const controller = new AbortController();
    const client = new OpenAI({ baseURL: s.url, apiKey: 'x', maxRetries: 0 });
    const pending = Array.from({ length: 5 }, () =>
      client.chat.completions
        .create(
          { model: 'llama-sim', messages: [{ role: 'user', content: 'hi' }] },
          { signal: controller.signal },
        )
        .catch(() => 'aborted'),
    );
    await expect.poll(() => s.stats.inFlight).toBe(5);
    expect(s.stats.running).toBe(2);
    expect(s.stats.waiting).toBe(3);
    expect(s.stats.maxInFlight).toBe(5);
    const m = await metrics(s);
    expect(gauge(m, 'vllm:num_requests_running')).toBe(2);
    expect(gauge(m, 'vllm:num_requests_waiting')).toBe(3);
    expect(gauge(m, 'vllm:gpu_cache_usage_perc')).toBe(1);
    expect(m.get('vllm:num_requests_running')?.metrics[0].labels).toEqual({ model_name: 'llama-sim' });

    controller.abort();
    expect(await Promise.all(pending)).toEqual(Array(5).fill('aborted'));
    await expect.poll(() => s.stats.inFlight).toBe(0);
    expect(s.stats.abortedByClient).toBe(5);
    expect(s.stats.running).toBe(0);
    expect(s.stats.waiting).toBe(0);
    expect(s.stats.maxRunning).toBe(2);
    expect(s.stats.maxWaiting).toBe(3);
  });

  it('serves queued requests once slots free up, and reports the queueing', async () => {
    sim = await startSimulator({
      model: 'llama-sim',
      capacity: 1,
      maxConcurrent: 1,
      ttftMs: 300,
      outputTokens: 3,
    });
    const client = new OpenAI({ baseURL: sim.url, apiKey: 'x', maxRetries: 0 });
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        client.chat.completions.create({ model: 'llama-sim', messages: [{ role: 'user', content: 'hi' }] }),
      ),
    );
    expect(results.every((r) => r.choices[0].finish_reason === 'stop')).toBe(true);
    expect(sim.stats.maxRunning).toBe(1);
    expect(sim.stats.maxWaiting).toBeGreaterThan(0);
    expect(sim.stats.recent.filter((r) => r.queuedMs > 0).length).toBeGreaterThan(0);
    const m = await metrics(sim);
    expect(m.get('vllm:request_success_total')?.metrics[0].value).toBe('4');
    expect(m.get('vllm:generation_tokens_total')?.metrics[0].value).toBe('12');
    expect(m.get('vllm:time_to_first_token_seconds')?.metrics[0].buckets?.['+Inf']).toBe('4');
  });

  it('slows each running request down when more run than the capacity', async () => {
    // Long answers keep both requests decoding at once; the slowdown is read from stats, not clocks.
    sim = await startSimulator({
      model: 'llama-sim',
      capacity: 1,
      maxConcurrent: 4,
      tokensPerSecond: 400,
      outputTokens: 200,
    });
    const client = new OpenAI({ baseURL: sim.url, apiKey: 'x', maxRetries: 0 });
    const ask = () =>
      client.chat.completions.create({ model: 'llama-sim', messages: [{ role: 'user', content: 'hi' }] });
    await ask();
    expect(sim.stats.last?.slowestSpeedFactor).toBe(1);
    await Promise.all([ask(), ask()]);
    const slowest = Math.min(...sim.stats.recent.slice(-2).map((r) => r.slowestSpeedFactor));
    expect(slowest).toBe(0.5);
  });
});

describe('client disconnects', () => {
  it('notices a client that leaves mid-stream and stops generating for it', async () => {
    sim = await startSimulator({ model: 'llama-sim', tokensPerSecond: 50, outputTokens: 500 });
    const s = sim;
    const client = new OpenAI({ baseURL: s.url, apiKey: 'x', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received++;
      if (received === 2) break;
    }
    await expect.poll(() => s.stats.abortedByClient).toBe(1);
    await expect.poll(() => s.stats.inFlight).toBe(0);
    expect(s.stats.last?.abortedByClient).toBe(true);
    expect(s.stats.last?.completionTokens).toBeUndefined();
    expect(s.stats.running).toBe(0);
  });

  it('does not count its own dropped connections or a shutdown as client aborts', async () => {
    sim = await startSimulator({ model: 'llama-sim' });
    const s = sim;
    const client = new OpenAI({ baseURL: s.url, apiKey: 'x', maxRetries: 0 });
    await client.chat.completions
      .create(
        { model: 'llama-sim', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-simulate-fault': 'reset' } },
      )
      .catch(() => undefined);
    const hanging = client.chat.completions
      .create(
        { model: 'llama-sim', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-simulate-fault': 'hang' } },
      )
      .catch(() => 'closed');
    await expect.poll(() => s.stats.inFlight).toBe(1);
    await s.close();
    sim = undefined;
    expect(await hanging).toBe('closed');
    expect(s.stats.abortedByClient).toBe(0);
  });
});

describe('token pacing', () => {
  it('emits every token of a fast, jittery stream as its own chunk', async () => {
    sim = await startSimulator({
      model: 'llama-sim',
      tokensPerSecond: 3000,
      jitter: 0.5,
      ttftMs: 5,
      outputTokens: 150,
    });
    const client = new OpenAI({ baseURL: sim.url, apiKey: 'x', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let contentChunks = 0;
    let usage;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) contentChunks++;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(contentChunks).toBe(150);
    expect(usage?.completion_tokens).toBe(150);
  });
});
