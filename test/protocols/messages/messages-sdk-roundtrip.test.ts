import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { chatCompletionToMessage } from '../../../src/protocols/messages/chat-completion-to-message.js';
import { parseMessagesRequest } from '../../../src/protocols/messages/messages-request-to-chat.js';
import { createMessagesStreamTranslator } from '../../../src/protocols/messages/messages-stream-translator.js';
import { toAnthropicErrorBody } from '../../../src/protocols/messages/to-anthropic-error-body.js';
import { formatSseEvents, type ProtocolEvent } from '../../../src/protocols/protocol-event.js';
import type { ChatCompletionChunk } from '../../../src/spec/chat.js';
import { GatewayError } from '../../../src/spec/gateway-error.js';
import { chunk, completion, reasoningChunks, textChunks, toolChunks, usageChunk } from '../chat-fixtures.js';
import { startFakeGateway, type FakeGateway } from '../start-fake-gateway.js';

let gateway: FakeGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function client(g: FakeGateway): Anthropic {
  return new Anthropic({ apiKey: 'sk-ant-test', baseURL: g.baseURL, maxRetries: 0 });
}

function translate(body: unknown, chunks: ChatCompletionChunk[], failure?: GatewayError): ProtocolEvent[] {
  const translator = createMessagesStreamTranslator(parseMessagesRequest(body));
  const events = chunks.flatMap((c) => translator.push(c));
  return [...events, ...(failure ? translator.fail(failure) : translator.finish())];
}

const ask = {
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Hi' }],
};

describe('Messages API served from chat completions, read by the Anthropic SDK', () => {
  it('non-streaming: text, tool_use with parsed input, stop reason and usage', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'json',
      body: chatCompletionToMessage(
        completion(
          {
            role: 'assistant',
            content: 'Let me check.',
            tool_calls: [
              {
                id: 'call_abc',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
          'tool_calls',
        ),
        parseMessagesRequest(body),
      ),
    }));
    const message = await client(gateway).messages.create({
      ...ask,
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    });
    expect(message.id).toMatch(/^msg_/);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'call_abc', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    // 30 prompt tokens of which 10 were cached: Anthropic reports them apart.
    expect(message.usage).toMatchObject({ input_tokens: 20, output_tokens: 12, cache_read_input_tokens: 10 });
  });

  it('streaming text: finalMessage() carries the whole text, stop reason and usage', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'sse',
      chunks: translate(body, textChunks()).map((e) => formatSseEvents([e])),
    }));
    const stream = client(gateway).messages.stream(ask);
    let streamed = '';
    stream.on('text', (t) => (streamed += t));
    const final = await stream.finalMessage();
    expect(streamed).toBe('Hello, world!');
    expect(final.content).toEqual([{ type: 'text', text: 'Hello, world!' }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toMatchObject({ input_tokens: 20, output_tokens: 12, cache_read_input_tokens: 10 });
  });

  it('streaming tool calls: tool_use blocks with their inputs assembled from input_json_delta', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'sse',
      chunks: [formatSseEvents(translate(body, toolChunks()))],
    }));
    const final = await client(gateway).messages.stream(ask).finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'call_abc', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_def', name: 'get_time', input: {} },
    ]);
  });

  it('reasoning from an open model is a thinking block only when the client asked for thinking', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'sse',
      chunks: [formatSseEvents(translate(body, reasoningChunks()))],
    }));
    const withThinking = await client(gateway)
      .messages.stream({ ...ask, thinking: { type: 'enabled', budget_tokens: 1024 } })
      .finalMessage();
    expect(withThinking.content).toEqual([
      { type: 'thinking', thinking: 'The user greets me. Greet back.', signature: '' },
      { type: 'text', text: 'Hello!' },
    ]);
    const plain = await client(gateway).messages.stream(ask).finalMessage();
    expect(plain.content).toEqual([{ type: 'text', text: 'Hello!' }]);
  });

  it('non-streaming reasoning follows the same rule', () => {
    const answer = completion({ role: 'assistant', content: 'Hello!', reasoning: 'Greet back.' }, 'stop');
    const thinking = chatCompletionToMessage(
      answer,
      parseMessagesRequest({ ...ask, thinking: { type: 'enabled', budget_tokens: 1024 } }),
    );
    expect(thinking.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(chatCompletionToMessage(answer, parseMessagesRequest(ask)).content.map((b) => b.type)).toEqual([
      'text',
    ]);
  });

  it('a length cut reads as max_tokens', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'sse',
      chunks: [formatSseEvents(translate(body, textChunks('length')))],
    }));
    const final = await client(gateway).messages.stream(ask).finalMessage();
    expect(final.stop_reason).toBe('max_tokens');
  });

  it('a failure mid-stream makes the SDK throw an error of the mapped type', async () => {
    const failure = new GatewayError({
      status: 529,
      type: 'upstream_error',
      code: 'upstream_error',
      message: 'Overloaded',
    });
    gateway = await startFakeGateway((body) => ({
      kind: 'sse',
      chunks: [formatSseEvents(translate(body, textChunks().slice(0, 3), failure))],
    }));
    const error = await client(gateway)
      .messages.stream(ask)
      .finalMessage()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).message).toMatch(/Overloaded/);
    expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe('overloaded_error');
  });

  it('an error body rendered for a status is raised by the SDK as the matching class', async () => {
    gateway = await startFakeGateway(() => ({
      kind: 'json',
      status: 429,
      body: toAnthropicErrorBody(
        new GatewayError({
          status: 429,
          type: 'rate_limit_error',
          code: 'rate_limited',
          message: 'slow down',
        }),
      ),
    }));
    await expect(client(gateway).messages.create(ask)).rejects.toBeInstanceOf(Anthropic.RateLimitError);
  });
});

describe('Messages stream event sequence', () => {
  it('follows the documented order for a text answer', () => {
    expect(translate(ask, textChunks()).map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('reports a matched stop sequence when the upstream names it', () => {
    const stopped = chunk({}, 'stop');
    stopped.choices[0].stop_reason = 'END';
    const events = translate({ ...ask, stop_sequences: ['END'] }, [
      chunk({ content: 'a' }),
      stopped,
      usageChunk(),
    ]);
    const delta = events.find((e) => e.event === 'message_delta');
    expect(delta?.data.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('a failure is a single error event in Anthropic shape and nothing follows it', () => {
    const translator = createMessagesStreamTranslator(parseMessagesRequest(ask));
    translator.push(textChunks()[1]);
    const failure = new GatewayError({
      status: 504,
      type: 'timeout_error',
      code: 'upstream_timeout',
      message: 'too slow',
    });
    expect(translator.fail(failure)).toEqual([
      { event: 'error', data: { type: 'error', error: { type: 'timeout_error', message: 'too slow' } } },
    ]);
    expect(translator.finish()).toEqual([]);
  });
});

describe('toAnthropicErrorBody', () => {
  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [402, 'billing_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [422, 'invalid_request_error'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [502, 'api_error'],
    [503, 'overloaded_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
  ])('status %i is %s', (status, type) => {
    const err = new GatewayError({ status, type: 'api_error', code: 'x', message: 'm' });
    expect(toAnthropicErrorBody(err)).toEqual({ type: 'error', error: { type, message: 'm' } });
  });
});
