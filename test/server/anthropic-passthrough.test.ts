import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import {
  fixtureJson,
  readFixture,
  sseChunks,
  startRecordedUpstream,
  type RecordedUpstream,
} from '../support/recorded-upstream.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * An Anthropic client on an Anthropic deployment speaks the Messages API end to end: prompt caching
 * markers, thinking blocks and their signatures reach the upstream and come back untouched. Only a
 * deployment that speaks another protocol gets a translation.
 */

let upstream: RecordedUpstream;
let openaiSim: Simulator;
let gw: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startRecordedUpstream();
  openaiSim = await startSimulator({ model: 'llama-sim' });
  gw = await startTestGateway(
    {
      deployments: [
        {
          id: 'claude',
          provider: 'anthropic',
          baseUrl: `${upstream.url}/v1`,
          model: 'claude-sonnet-4-20250514',
          apiKeyEnv: 'ANTHROPIC_API_KEY',
        },
        { id: 'llama', baseUrl: openaiSim.url, model: 'llama-sim', location: 'internal' },
      ],
      models: [
        { name: 'claude-sonnet-4', deployments: ['claude'] },
        { name: 'llama', deployments: ['llama'] },
      ],
    },
    { ANTHROPIC_API_KEY: 'sk-ant-test-key-0123456789' },
  );
  client = new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
  await openaiSim?.close();
});

/** A follow-up turn of extended thinking with tools: the thinking block must go back as it was. */
const request = {
  model: 'claude-sonnet-4',
  max_tokens: 2048,
  thinking: { type: 'enabled' as const, budget_tokens: 1024 },
  system: [
    {
      type: 'text' as const,
      text: 'You are an assistant that analyses literary works.',
      cache_control: { type: 'ephemeral' as const },
    },
  ],
  tools: [
    {
      name: 'get_weather',
      description: 'Current weather in a city',
      input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
    },
  ],
  messages: [
    { role: 'user' as const, content: 'What is the weather in Paris?' },
    {
      role: 'assistant' as const,
      content: [
        { type: 'thinking' as const, thinking: 'I should look it up.', signature: 'EqQBCgIYAhIM1gbcDa9G' },
        { type: 'tool_use' as const, id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
      ],
    },
    {
      role: 'user' as const,
      content: [
        {
          type: 'tool_result' as const,
          tool_use_id: 'toolu_01',
          content: '18°C, sunny',
          cache_control: { type: 'ephemeral' as const },
        },
      ],
    },
  ],
};

describe('Messages on an Anthropic deployment', () => {
  it('sends the request as the client wrote it and returns the answer untouched', async () => {
    const answer = fixtureJson('anthropic/message-prompt-caching.json');
    upstream.route('POST /v1/messages', { json: answer });
    const message = await client.messages.create(request);
    expect(message).toEqual(answer);
    const sent = upstream.requests.at(-1)!;
    expect(sent.body).toEqual({ ...request, model: 'claude-sonnet-4-20250514' });
    expect(sent.headers['x-api-key']).toBe('sk-ant-test-key-0123456789');

    const record = (await gw.records()).find(
      (r) => r.id === upstream.requests.at(-1)!.headers['x-request-id'],
    )!;
    // Cache writes count as input, as Anthropic bills them.
    expect(record).toMatchObject({ endpoint: 'messages', deploymentId: 'claude', outputTokens: 393 });
    expect(record.inputTokens).toBe(21 + 188086);
  });

  it('passes a stream through event by event, thinking and signature included', async () => {
    upstream.route('POST /v1/messages', { chunks: sseChunks(readFixture('anthropic/stream-thinking.sse')) });
    const stream = client.messages.stream({ ...request, stream: true });
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({
      type: 'thinking',
      thinking: 'Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3',
      signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...',
    });
    expect(message.content[1]).toMatchObject({ type: 'text', text: '27 * 453 = 12,231' });
    expect(upstream.requests.at(-1)!.body).toMatchObject({ stream: true, thinking: request.thinking });
  });

  it('translates for a deployment that speaks chat completions', async () => {
    const message = await client.messages.create({
      model: 'llama',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message.type).toBe('message');
    expect((openaiSim.stats.recent.at(-1)!.body as { messages: unknown[] }).messages).toEqual([
      { role: 'user', content: 'Hello' },
    ]);
  });
});
