import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { formatSseEvents, type ProtocolEvent } from '../../../src/protocols/protocol-event.js';
import { chatCompletionToResponse } from '../../../src/protocols/responses/chat-completion-to-response.js';
import {
  parseResponsesRequest,
  responsesRequestToChat,
} from '../../../src/protocols/responses/responses-request-to-chat.js';
import { createResponsesStreamTranslator } from '../../../src/protocols/responses/responses-stream-translator.js';
import type { ChatCompletionChunk } from '../../../src/spec/chat.js';
import { GatewayError } from '../../../src/spec/gateway-error.js';
import { completion, reasoningChunks, textChunks, toolChunks } from '../chat-fixtures.js';
import { startFakeGateway, type FakeGateway } from '../start-fake-gateway.js';

let gateway: FakeGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
  strict: false,
};

function client(g: FakeGateway): OpenAI {
  return new OpenAI({ apiKey: 'sk-test', baseURL: `${g.baseURL}/v1`, maxRetries: 0 });
}

function translate(body: unknown, chunks: ChatCompletionChunk[], failure?: GatewayError): ProtocolEvent[] {
  const translator = createResponsesStreamTranslator(parseResponsesRequest(body));
  const events = chunks.flatMap((c) => translator.push(c));
  return [...events, ...(failure ? translator.fail(failure) : translator.finish())];
}

describe('Responses API served from chat completions, read by the openai SDK', () => {
  it('non-streaming: output_text, function calls and usage come out right', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'json',
      body: chatCompletionToResponse(
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
        parseResponsesRequest(body),
      ),
    }));
    const response = await client(gateway).responses.create({
      model: 'llama-3.1-8b',
      input: 'Weather in Paris?',
      instructions: 'Be brief.',
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: false }],
    });
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Let me check.');
    expect(response.instructions).toBe('Be brief.');
    const call = response.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ call_id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(response.usage).toEqual({
      input_tokens: 30,
      input_tokens_details: { cached_tokens: 10 },
      output_tokens: 12,
      output_tokens_details: { reasoning_tokens: 2 },
      total_tokens: 42,
    });
  });

  it('a second turn that sends back the previous output items becomes a valid chat history', async () => {
    const turns = [
      completion(
        {
          role: 'assistant',
          content: null,
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
      completion({ role: 'assistant', content: 'It is 18C in Paris.' }, 'stop'),
    ];
    const chatRequests: unknown[] = [];
    gateway = await startFakeGateway((body) => {
      chatRequests.push(responsesRequestToChat(body));
      return {
        kind: 'json',
        body: chatCompletionToResponse(turns[chatRequests.length - 1], parseResponsesRequest(body)),
      };
    });
    const openai = client(gateway);
    const input: OpenAI.Responses.ResponseInput = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await openai.responses.create({ model: 'm', input, tools: [weatherTool] });
    input.push(...(first.output as OpenAI.Responses.ResponseInputItem[]));
    input.push({ type: 'function_call_output', call_id: 'call_abc', output: '18C' });
    const second = await openai.responses.create({ model: 'm', input, tools: [weatherTool] });
    expect(second.output_text).toBe('It is 18C in Paris.');
    expect(chatRequests[1]).toMatchObject({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_abc', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_abc', content: '18C' },
      ],
    });
  });

  it('non-streaming: a length cut is an incomplete response', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'json',
      body: chatCompletionToResponse(
        completion({ role: 'assistant', content: 'Once upon' }, 'length'),
        parseResponsesRequest(body),
      ),
    }));
    const response = await client(gateway).responses.create({
      model: 'm',
      input: 'Story',
      max_output_tokens: 2,
    });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.output_text).toBe('Once upon');
    expect(response.max_output_tokens).toBe(2);
  });

  it('streaming text: finalResponse() and the deltas match the upstream text', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'sse',
      chunks: translate(body, textChunks()).map((e) => formatSseEvents([e])),
    }));
    const stream = client(gateway).responses.stream({ model: 'llama-3.1-8b', input: 'Say hello' });
    let deltas = '';
    stream.on('response.output_text.delta', (e) => (deltas += e.delta));
    const final = await stream.finalResponse();
    expect(deltas).toBe('Hello, world!');
    expect(final.output_text).toBe('Hello, world!');
    expect(final.status).toBe('completed');
    expect(final.usage?.total_tokens).toBe(42);
  });

  it('streaming tool calls: each call is a function_call item with its full arguments', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'sse',
      chunks: [formatSseEvents(translate(body, toolChunks()))],
    }));
    const stream = await client(gateway).responses.create({ model: 'm', input: 'Weather?', stream: true });
    const types: string[] = [];
    let final: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.completed') final = event.response;
    }
    expect(final?.output.map((o) => o.type)).toEqual(['message', 'function_call', 'function_call']);
    expect(final?.output[1]).toMatchObject({
      call_id: 'call_abc',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    });
    expect(final?.output[2]).toMatchObject({ call_id: 'call_def', name: 'get_time', arguments: '{}' });
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('reasoning from an open model streams as a reasoning item before the message', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'sse',
      chunks: [formatSseEvents(translate(body, reasoningChunks()))],
    }));
    const final = await client(gateway).responses.stream({ model: 'm', input: 'Hi' }).finalResponse();
    expect(final.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(final.output[0]).toMatchObject({
      content: [{ type: 'reasoning_text', text: 'The user greets me. Greet back.' }],
    });
    expect(final.output_text).toBe('Hello!');
  });

  it('non-streaming reasoning becomes a reasoning item too', async () => {
    gateway = await startFakeGateway((body) => ({
      kind: 'json',
      body: chatCompletionToResponse(
        completion({ role: 'assistant', content: 'Hello!', reasoning_content: 'Greet back.' }, 'stop'),
        parseResponsesRequest(body),
      ),
    }));
    const response = await client(gateway).responses.create({ model: 'm', input: 'Hi' });
    expect(response.output[0]).toMatchObject({
      type: 'reasoning',
      content: [{ type: 'reasoning_text', text: 'Greet back.' }],
    });
    expect(response.output_text).toBe('Hello!');
  });

  it('a failure mid-stream makes the SDK throw with the gateway message', async () => {
    const failure = new GatewayError({
      status: 502,
      type: 'upstream_error',
      code: 'upstream_error',
      message: 'upstream went away',
    });
    gateway = await startFakeGateway((body) => ({
      kind: 'sse',
      chunks: [formatSseEvents(translate(body, textChunks().slice(0, 3), failure))],
    }));
    const stream = client(gateway).responses.stream({ model: 'm', input: 'Say hello' });
    await expect(stream.finalResponse()).rejects.toThrow(/upstream went away/);
  });
});

describe('Responses stream event sequence', () => {
  it('numbers every event from 0 without gaps and ends with exactly one terminal event', () => {
    const events = translate({ model: 'm', input: 'x' }, textChunks());
    expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.every((e) => e.data.type === e.event)).toBe(true);
    expect(events.filter((e) => e.event.startsWith('response.completed')).length).toBe(1);
    const done = events.find((e) => e.event === 'response.output_text.done');
    expect(done?.data.text).toBe('Hello, world!');
  });

  it('ends with response.incomplete when the token limit cut the answer', () => {
    const events = translate({ model: 'm', input: 'x', max_output_tokens: 3 }, textChunks('length'));
    const last = events[events.length - 1];
    expect(last.event).toBe('response.incomplete');
    expect(last.data.response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
  });

  it('a failure ends with response.failed and an error event carrying the message', () => {
    const failure = new GatewayError({
      status: 504,
      type: 'timeout_error',
      code: 'upstream_stalled',
      message: 'stalled',
    });
    const events = translate({ model: 'm', input: 'x' }, textChunks().slice(0, 2), failure);
    expect(events.slice(-2).map((e) => e.event)).toEqual(['response.failed', 'error']);
    expect(events[events.length - 2].data.response).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message: 'stalled' },
    });
    expect(events[events.length - 1].data).toMatchObject({ code: 'upstream_stalled', message: 'stalled' });
    const failed = events[events.length - 2].data.response as { output: unknown[] };
    expect(failed.output).toEqual([
      expect.objectContaining({
        status: 'incomplete',
        content: [expect.objectContaining({ text: 'Hello' })],
      }),
    ]);
  });

  it('emits nothing after the stream has ended', () => {
    const translator = createResponsesStreamTranslator(parseResponsesRequest({ model: 'm', input: 'x' }));
    translator.finish();
    expect(translator.push(textChunks()[1])).toEqual([]);
    expect(translator.finish()).toEqual([]);
  });
});
