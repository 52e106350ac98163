import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';

let sim: Simulator;
let client: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({
    protocol: 'anthropic',
    model: 'claude-sim',
    outputTokens: 10,
    apiKey: 'sk-ant-sim',
  });
  client = new Anthropic({ baseURL: sim.origin, apiKey: 'sk-ant-sim', maxRetries: 0 });
});
afterAll(() => sim.close());

const lookupTool = {
  name: 'lookup_order',
  description: 'Find an order',
  input_schema: {
    type: 'object' as const,
    properties: { order_id: { type: 'string' }, include_items: { type: 'boolean' } },
    required: ['order_id'],
  },
};

describe('the Anthropic Messages API through the official SDK', () => {
  it('answers a message with labelled text and usage', async () => {
    const msg = await client.messages.create({
      model: 'claude-sim',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(msg.id).toMatch(/^msg_/);
    expect(msg.type).toBe('message');
    expect(msg.role).toBe('assistant');
    expect(msg.stop_reason).toBe('end_turn');
    const block = msg.content[0];
    expect(block.type).toBe('text');
    if (block.type === 'text') expect(block.text).toMatch(/^\[simulated claude-sim\]/);
    expect(msg.usage.output_tokens).toBe(10);
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
  });

  it('streams the documented event sequence', async () => {
    const stream = await client.messages.create({
      model: 'claude-sim',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    const types: string[] = [];
    let text = '';
    let outputTokens = 0;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
    }
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      ...Array<string>(10).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(text).toMatch(/^\[simulated claude-sim\]/);
    expect(outputTokens).toBe(10);
  });

  it('sends a ping after the first content block starts, each event named on the wire', async () => {
    const res = await fetch(`${sim.origin}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'sk-ant-sim',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({
        model: 'claude-sim',
        max_tokens: 3,
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
    });
    const raw = await res.text();
    const names = [...raw.matchAll(/^event: (\w+)\ndata: (\{.*\})\n\n/gm)].map((m) => {
      expect(JSON.parse(m[2]).type).toBe(m[1]);
      return m[1];
    });
    expect(names.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(names.at(-1)).toBe('message_stop');
    expect(raw.split('\n\n').filter(Boolean)).toHaveLength(names.length);
  });

  it('uses a tool when asked to, and the SDK can rebuild a streamed tool call', async () => {
    const msg = await client.messages.create({
      model: 'claude-sim',
      max_tokens: 200,
      tools: [lookupTool],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Where is my order?' }],
    });
    expect(msg.stop_reason).toBe('tool_use');
    const use = msg.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ name: 'lookup_order', id: expect.stringMatching(/^toolu_/) });
    if (use?.type === 'tool_use') expect(typeof (use.input as { order_id: unknown }).order_id).toBe('string');

    const final = await client.messages
      .stream({
        model: 'claude-sim',
        max_tokens: 200,
        tools: [lookupTool],
        messages: [{ role: 'user', content: 'Please lookup_order 42' }],
      })
      .finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    const streamed = final.content.find((b) => b.type === 'tool_use');
    expect(streamed?.type === 'tool_use' && typeof (streamed.input as { order_id: unknown }).order_id).toBe(
      'string',
    );
  });

  it('stops at max_tokens and at stop sequences with the right stop reason', async () => {
    const capped = await client.messages.create({
      model: 'claude-sim',
      max_tokens: 3,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(capped.stop_reason).toBe('max_tokens');
    expect(capped.usage.output_tokens).toBe(3);
    const stopped = await client.messages.create({
      model: 'claude-sim',
      max_tokens: 100,
      stop_sequences: ['simulated'],
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(stopped.stop_reason).toBe('stop_sequence');
    expect(stopped.stop_sequence).toBe('simulated');
  });

  it('answers errors in Anthropic shape', async () => {
    const wrongKey = new Anthropic({ baseURL: sim.origin, apiKey: 'nope', maxRetries: 0 });
    const unauth = await wrongKey.messages
      .create({ model: 'claude-sim', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(unauth).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((unauth as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
      request_id: (unauth as InstanceType<typeof Anthropic.APIError>).requestID,
    });

    const overloaded = await client.messages
      .create(
        { model: 'claude-sim', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'x-simulate-fault': 'http429' } },
      )
      .catch((e: unknown) => e);
    expect(overloaded).toBeInstanceOf(Anthropic.RateLimitError);
    expect((overloaded as InstanceType<typeof Anthropic.APIError>).headers?.get('retry-after')).toBe('1');

    const noMax = await fetch(`${sim.origin}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-sim' },
      body: JSON.stringify({ model: 'claude-sim', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(noMax.status).toBe(400);
    expect(await noMax.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('breaks a stream off mid-answer and fails with api_error on demand', async () => {
    const stream = await client.messages.create(
      { model: 'claude-sim', max_tokens: 100, messages: [{ role: 'user', content: 'x' }], stream: true },
      { headers: { 'x-simulate-fault': 'dieMidStream' } },
    );
    const types: string[] = [];
    const failure = await (async () => {
      for await (const event of stream) types.push(event.type);
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(types).toContain('content_block_delta');
    expect(types).not.toContain('message_stop');

    const err = await client.messages
      .create(
        { model: 'claude-sim', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'x-simulate-fault': 'http500' } },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'api_error' },
    });
  });

  it('counts tokens and lists models', async () => {
    const counted = await client.messages.countTokens({
      model: 'claude-sim',
      messages: [{ role: 'user', content: 'How many tokens is this?' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['claude-sim']);
  });
});
