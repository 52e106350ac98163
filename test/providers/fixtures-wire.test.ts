import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureJson,
  readFixture,
  sseChunks,
  startRecordedUpstream,
  type RecordedUpstream,
} from '../support/recorded-upstream.js';

/**
 * The recorded fixtures are only worth replaying if the vendors' own SDKs accept them: each one is
 * read here by the official client it imitates.
 */
let upstream: RecordedUpstream;

beforeAll(async () => {
  upstream = await startRecordedUpstream({
    'POST /v1/chat/completions': [
      { json: fixtureJson('openai/chat-completion.json') },
      { chunks: sseChunks(readFixture('openai/chat-stream.sse')) },
      { chunks: sseChunks(readFixture('openai/chat-stream-tool-calls.sse')) },
      { status: 429, json: fixtureJson('openai/error-rate-limit.json'), headers: { 'retry-after-ms': '10' } },
    ],
    'POST /v1/messages': [
      { json: fixtureJson('anthropic/message.json') },
      { chunks: sseChunks(readFixture('anthropic/stream-tool-use.sse')) },
      { chunks: sseChunks(readFixture('anthropic/stream-thinking.sse')) },
      { status: 529, json: fixtureJson('anthropic/error-overloaded.json') },
    ],
  });
});
afterAll(() => upstream.close());

describe('recorded fixtures read by the official SDKs', () => {
  it('OpenAI: completion, text stream, tool call stream and a 429', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${upstream.url}/v1`, maxRetries: 0 });
    const params = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Hello!' }] };
    const completion = await client.chat.completions.create(params);
    expect(completion.choices[0].message.content).toBe('Hello! How can I assist you today?');

    const text = client.chat.completions.stream({ ...params, stream_options: { include_usage: true } });
    const done = await text.finalChatCompletion();
    expect(done.choices[0].message.content).toBe('Hello! How can I assist you today?');
    expect(done.usage?.total_tokens).toBe(29);

    const tools = client.chat.completions.stream(params);
    const call = (await tools.finalChatCompletion()).choices[0].message.tool_calls?.[0];
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      location: 'Paris, France',
    });

    await expect(client.chat.completions.create(params)).rejects.toMatchObject({
      status: 429,
      code: 'rate_limit_exceeded',
    });
  });

  it('Anthropic: message, tool use stream, thinking stream and a 529', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: upstream.url, maxRetries: 0 });
    const params = {
      model: 'claude-sonnet-4-20250514',
      max_tokens: 1024,
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    const message = await client.messages.create(params);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hi! My name is Claude.' });

    const toolUse = await client.messages.stream(params).finalMessage();
    expect(toolUse.stop_reason).toBe('tool_use');
    expect(toolUse.content[1]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { location: 'San Francisco, CA', unit: 'fahrenheit' },
    });

    const thinking = await client.messages.stream(params).finalMessage();
    expect(thinking.content.map((b) => b.type)).toEqual(['thinking', 'text']);

    await expect(client.messages.create(params)).rejects.toMatchObject({ status: 529 });
  });
});
