import { describe, expect, it } from 'vitest';
import { responsesRequestToChat } from '../../../src/protocols/responses/responses-request-to-chat.js';
import { GatewayError } from '../../../src/spec/gateway-error.js';

function rejection(body: unknown): GatewayError {
  try {
    responsesRequestToChat(body);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected the request to be rejected');
}

describe('responsesRequestToChat', () => {
  it.each([
    [
      'a string input with instructions',
      { model: 'm', input: 'Hi', instructions: 'Be brief.' },
      {
        model: 'm',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
      },
    ],
    [
      'input items with text and images',
      {
        model: 'm',
        input: [
          { role: 'developer', content: 'Answer in French.' },
          {
            type: 'message',
            role: 'user',
            content: [
              { type: 'input_text', text: 'What is this?' },
              { type: 'input_image', image_url: 'https://example.test/cat.png', detail: 'high' },
            ],
          },
        ],
      },
      {
        model: 'm',
        messages: [
          { role: 'system', content: 'Answer in French.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'https://example.test/cat.png', detail: 'high' } },
            ],
          },
        ],
      },
    ],
    [
      'a function call round trip with the assistant text before the calls',
      {
        model: 'm',
        input: [
          { role: 'user', content: 'Weather and time in Paris?' },
          { type: 'reasoning', id: 'rs_1', summary: [] },
          { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
          { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
          { type: 'function_call', call_id: 'call_2', name: 'time', arguments: '{}' },
          { type: 'function_call_output', call_id: 'call_1', output: '18C' },
          {
            type: 'function_call_output',
            call_id: 'call_2',
            output: [{ type: 'input_text', text: '14:00' }],
          },
        ],
      },
      {
        model: 'm',
        messages: [
          { role: 'user', content: 'Weather and time in Paris?' },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'weather', arguments: '{"city":"Paris"}' },
              },
              { id: 'call_2', type: 'function', function: { name: 'time', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18C' },
          { role: 'tool', tool_call_id: 'call_2', content: '14:00' },
        ],
      },
    ],
    [
      'function tools, tool choice, structured output and limits',
      {
        model: 'm',
        input: 'Hi',
        tools: [
          {
            type: 'function',
            name: 'weather',
            description: 'Weather by city',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
            strict: true,
          },
        ],
        tool_choice: { type: 'function', name: 'weather' },
        parallel_tool_calls: false,
        text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
        max_output_tokens: 256,
        temperature: 0.2,
        top_p: 0.9,
        store: true,
        metadata: { team: 'a' },
        user: 'u-1',
        stream: true,
      },
      {
        model: 'm',
        messages: [{ role: 'user', content: 'Hi' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'weather',
              description: 'Weather by city',
              parameters: { type: 'object', properties: { city: { type: 'string' } } },
              strict: true,
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'weather' } },
        parallel_tool_calls: false,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
        },
        max_tokens: 256,
        temperature: 0.2,
        top_p: 0.9,
        user: 'u-1',
        stream: true,
        stream_options: { include_usage: true },
      },
    ],
    [
      'json mode',
      { model: 'm', input: 'Hi', text: { format: { type: 'json_object' } }, tool_choice: 'required' },
      {
        model: 'm',
        messages: [{ role: 'user', content: 'Hi' }],
        response_format: { type: 'json_object' },
        tool_choice: 'required',
      },
    ],
  ])('translates %s', (_name, body, expected) => {
    expect(responsesRequestToChat(body)).toEqual(expected);
  });

  it.each([
    [
      'previous_response_id, which needs stored responses',
      { model: 'm', input: 'Hi', previous_response_id: 'resp_1' },
      'previous_response_id',
      /does not store responses/,
    ],
    [
      'a conversation id',
      { model: 'm', input: 'Hi', conversation: 'conv_1' },
      'conversation',
      /does not store/,
    ],
    ['background mode', { model: 'm', input: 'Hi', background: true }, 'background', /not supported/],
    [
      'a hosted tool',
      { model: 'm', input: 'Hi', tools: [{ type: 'web_search_preview' }] },
      'tools[0].type',
      /Tools of type 'web_search_preview' are not supported/,
    ],
    [
      'an item reference',
      { model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] },
      'input[0].type',
      /type 'item_reference' are not supported/,
    ],
    ['a missing input', { model: 'm' }, 'input', /Missing required parameter: 'input'/],
    [
      'an input with nothing to answer',
      { model: 'm', input: [], instructions: 'x' },
      'input',
      /at least one message/,
    ],
    [
      'a function call output without call_id',
      { model: 'm', input: [{ type: 'function_call_output', output: 'x' }] },
      'input[0].call_id',
      /Missing required parameter: 'input\[0\]\.call_id'/,
    ],
    [
      'a function tool without a name',
      { model: 'm', input: 'Hi', tools: [{ type: 'function', parameters: {} }] },
      'tools[0].name',
      /Missing required parameter/,
    ],
    [
      'an image given by file id',
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] },
      'input[0].content[0].file_id',
      /file_id/,
    ],
  ])('refuses %s with a 400 naming the field', (_name, body, param, message) => {
    const err = rejection(body);
    expect(err.status).toBe(400);
    expect(err.param).toBe(param);
    expect(err.message).toMatch(message);
  });
});
