import { describe, expect, it } from 'vitest';
import { messagesRequestToChat } from '../../../src/protocols/messages/messages-request-to-chat.js';
import { GatewayError } from '../../../src/spec/gateway-error.js';

function rejection(body: unknown): GatewayError {
  try {
    messagesRequestToChat(body);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected the request to be rejected');
}

const base = { model: 'claude-sonnet-4-5', max_tokens: 512 };

describe('messagesRequestToChat', () => {
  it.each([
    [
      'a system prompt as text blocks and sampling settings',
      {
        ...base,
        system: [
          { type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Answer in English.' },
        ],
        messages: [{ role: 'user', content: 'Hi' }],
        stop_sequences: ['END'],
        temperature: 0.3,
        top_p: 0.8,
        top_k: 40,
        metadata: { user_id: 'user-7' },
        stream: true,
      },
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 512,
        messages: [
          { role: 'system', content: 'You are terse.\nAnswer in English.' },
          { role: 'user', content: 'Hi' },
        ],
        stop: ['END'],
        temperature: 0.3,
        top_p: 0.8,
        user: 'user-7',
        stream: true,
        stream_options: { include_usage: true },
      },
    ],
    [
      'images by base64 and by url',
      {
        ...base,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0' } },
              { type: 'image', source: { type: 'url', url: 'https://example.test/a.jpg' } },
              { type: 'text', text: 'Compare them.' },
            ],
          },
        ],
      },
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 512,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0' } },
              { type: 'image_url', image_url: { url: 'https://example.test/a.jpg' } },
              { type: 'text', text: 'Compare them.' },
            ],
          },
        ],
      },
    ],
    [
      'a tool use round trip with tools and a forced tool',
      {
        ...base,
        tools: [
          {
            name: 'get_weather',
            description: 'Weather by city',
            input_schema: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
        tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hm', signature: 'sig' },
              { type: 'text', text: 'Checking.' },
              { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18C' }] },
              { type: 'text', text: 'And tomorrow?' },
            ],
          },
        ],
      },
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 512,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              {
                id: 'toolu_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'toolu_1', content: '18C' },
          { role: 'user', content: 'And tomorrow?' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Weather by city',
              parameters: { type: 'object', properties: { city: { type: 'string' } } },
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        parallel_tool_calls: false,
      },
    ],
  ])('translates %s', (_name, body, expected) => {
    expect(messagesRequestToChat(body)).toEqual(expected);
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
  ])('maps tool_choice %j to %j', (choice, expected) => {
    const chat = messagesRequestToChat({
      ...base,
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ name: 't', input_schema: { type: 'object' } }],
      tool_choice: choice,
    });
    expect(chat.tool_choice).toBe(expected);
  });

  it.each([
    [
      'a missing max_tokens',
      { model: 'm', messages: [{ role: 'user', content: 'x' }] },
      'max_tokens',
      'max_tokens: Field required',
    ],
    [
      'a missing model',
      { max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
      'model',
      'model: Field required',
    ],
    [
      'a system role inside messages',
      { ...base, messages: [{ role: 'system', content: 'x' }] },
      'messages.0.role',
      "messages.0.role: Input should be 'user' or 'assistant'",
    ],
    [
      'content of the wrong type',
      { ...base, messages: [{ role: 'user', content: 7 }] },
      'messages.0.content',
      'messages.0.content: Input should be a valid string or a valid list of content blocks',
    ],
    [
      'an unknown block type',
      { ...base, messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] },
      'messages.0.content.0.type',
      /^messages\.0\.content\.0\.type: Input should be 'text'/,
    ],
    [
      'a tool without input_schema',
      { ...base, messages: [{ role: 'user', content: 'x' }], tools: [{ name: 't' }] },
      'tools.0.input_schema',
      'tools.0.input_schema: Field required',
    ],
    [
      'a server tool',
      {
        ...base,
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      },
      'tools.0.type',
      /server tools such as 'web_search_20250305' are not supported/,
    ],
    [
      'a max_tokens that is not an integer',
      { ...base, max_tokens: '10', messages: [{ role: 'user', content: 'x' }] },
      'max_tokens',
      'max_tokens: Input should be a valid integer',
    ],
    [
      'a temperature above 1',
      { ...base, messages: [{ role: 'user', content: 'x' }], temperature: 1.5 },
      'temperature',
      'temperature: Input should be less than or equal to 1',
    ],
    ['no messages', { ...base, messages: [] }, 'messages', /^messages: List should have at least 1 item/],
    [
      'an image by file id',
      {
        ...base,
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }],
      },
      'messages.0.content.0.source.type',
      /not supported/,
    ],
  ])('refuses %s with an Anthropic-worded 400', (_name, body, param, message) => {
    const err = rejection(body);
    expect(err.status).toBe(400);
    expect(err.type).toBe('invalid_request_error');
    expect(err.param).toBe(param);
    expect(err.message).toMatch(message);
  });
});
