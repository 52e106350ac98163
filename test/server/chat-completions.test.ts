import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

let sim: Simulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ model: 'llama-sim', profile: 'vllm', outputTokens: 12 });
  gw = await startTestGateway({
    deployments: [
      {
        id: 'llama-local',
        baseUrl: sim.url,
        model: 'llama-sim',
        vendor: 'vllm',
        location: 'internal',
        timeouts: { totalMs: 2000, firstTokenMs: 1500, idleMs: 1000 },
      },
    ],
    models: [{ name: 'gpt-4o', deployments: ['llama-local'] }],
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

describe('POST /v1/chat/completions', () => {
  it('answers a plain request and records it', async () => {
    const { data, response } = await client.chat.completions
      .create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello there' }] },
        { headers: { 'x-switchyard-workload': 'greeting' } },
      )
      .withResponse();
    expect(data.choices[0].message.content).toContain('simulated');
    expect(data.usage?.completion_tokens).toBe(12);
    expect(response.headers.get('x-switchyard-overhead-ms')).toMatch(/^\d+\.\d{3}$/);
    const requestId = response.headers.get('x-request-id');
    const record = (await gw.records()).find((r) => r.id === requestId);
    expect(record).toMatchObject({
      status: 200,
      modelRequested: 'gpt-4o',
      deploymentId: 'llama-local',
      upstreamModel: 'llama-sim',
      workload: 'greeting',
      outputTokens: 12,
      streamed: false,
      usageEstimated: false,
    });
    expect(record!.inputTokens).toBeGreaterThan(0);
  });

  it('streams with usage, and records the same tokens as the non-streamed call', async () => {
    const messages = [{ role: 'user' as const, content: 'Count the tokens of this exact prompt' }];
    const plain = await client.chat.completions.create({ model: 'gpt-4o', messages, seed: 7 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      seed: 7,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(plain.choices[0].message.content);
    expect(usage).toEqual(plain.usage);
    const records = await gw.records();
    const streamed = records.filter((r) => r.streamed && r.status === 200);
    expect(streamed.at(-1)).toMatchObject({
      inputTokens: plain.usage!.prompt_tokens,
      outputTokens: plain.usage!.completion_tokens,
      truncated: false,
      finishReason: 'stop',
    });
    expect(streamed.at(-1)!.ttftMs).not.toBeNull();
  });

  it('asks the upstream for usage but does not send the usage chunk to a client that did not ask', async () => {
    const before = sim.stats.requests;
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'no usage please' }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(sim.stats.requests).toBe(before + 1);
    const sent = sim.stats.recent.at(-1)!.body as { stream_options?: { include_usage?: boolean } };
    expect(sent.stream_options?.include_usage).toBe(true);
  });

  it('passes tools, JSON mode and unknown fields to the upstream', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ],
      tool_choice: 'required',
      // @ts-expect-error vLLM-specific sampling parameter, not in OpenAI's types
      top_k: 5,
    });
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    const call = completion.choices[0].message.tool_calls![0] as {
      function: { name: string; arguments: string };
    };
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toHaveProperty('city');
    const sent = sim.stats.recent.at(-1)!.body as Record<string, unknown>;
    expect(sent.top_k).toBe(5);
    expect(sent.model).toBe('llama-sim');

    const json = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Give me a JSON object' }],
      response_format: { type: 'json_object' },
    });
    expect(() => JSON.parse(json.choices[0].message.content!)).not.toThrow();
  });

  it('serves embeddings and lists the public models', async () => {
    const emb = await client.embeddings.create({ model: 'gpt-4o', input: ['a', 'b'] });
    expect(emb.data).toHaveLength(2);
    expect(emb.data[0].embedding.length).toBeGreaterThan(0);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt-4o']);
  });
});
