import { describe, expect, it } from 'vitest';
import { parseChatRequest } from '../../../src/protocols/chat/parse-chat-request.js';
import { GatewayError } from '../../../src/spec/gateway-error.js';

const base = { model: 'llama-3.1-8b', messages: [{ role: 'user', content: 'Hi' }] };

function rejection(body: unknown): { message: string; param: string | null; code: string; status: number } {
  try {
    parseChatRequest(body);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    const e = err as GatewayError;
    return { message: e.message, param: e.param, code: e.code, status: e.status };
  }
  throw new Error('expected the request to be rejected');
}

describe('parseChatRequest accepts what OpenAI accepts', () => {
  it.each([
    ['a minimal request', base],
    [
      'multi-part content with an image and audio',
      {
        ...base,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
              { type: 'input_audio', input_audio: { data: 'UklGR', format: 'wav' } },
            ],
          },
        ],
      },
    ],
    [
      'a tool round trip',
      {
        ...base,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18C' },
        ],
        tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'weather' } },
      },
    ],
    [
      'json_schema response format and sampling knobs',
      {
        ...base,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: { type: 'object' }, strict: true },
        },
        n: 2,
        seed: 7,
        logprobs: true,
        top_logprobs: 3,
        stop: ['a', 'b', 'c', 'd'],
        max_tokens: 16,
        max_completion_tokens: 32,
        temperature: 2,
        stream: true,
        stream_options: { include_usage: true },
      },
    ],
    ['nulls where OpenAI allows them', { ...base, temperature: null, stop: null, max_tokens: null }],
    [
      'a content part type the gateway does not know',
      { ...base, messages: [{ role: 'user', content: [{ type: 'video_url', video_url: { url: 'x' } }] }] },
    ],
  ])('%s', (_name, body) => {
    expect(parseChatRequest(body).model).toBe('llama-3.1-8b');
  });

  it('passes unknown fields through untouched', () => {
    const parsed = parseChatRequest({
      ...base,
      top_k: 40,
      guided_json: { type: 'object' },
      messages: [{ role: 'user', content: 'Hi', cache_hint: 'x' }],
    });
    expect(parsed.top_k).toBe(40);
    expect(parsed.guided_json).toEqual({ type: 'object' });
    expect(parsed.messages[0].cache_hint).toBe('x');
  });
});

describe('parseChatRequest names the offending field like OpenAI', () => {
  it.each([
    [
      'a missing model',
      { messages: base.messages },
      { message: "Missing required parameter: 'model'.", param: 'model', code: 'missing_required_parameter' },
    ],
    [
      'content of the wrong type',
      { ...base, messages: [{ role: 'user', content: 42 }] },
      {
        message:
          "Invalid type for 'messages[0].content': expected a string or an array of content parts, but got an integer instead.",
        param: 'messages[0].content',
        code: 'invalid_type',
      },
    ],
    [
      'a text part without text',
      { ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] },
      {
        message: "Missing required parameter: 'messages[0].content[0].text'.",
        param: 'messages[0].content[0].text',
        code: 'missing_required_parameter',
      },
    ],
    [
      'an image part whose url is not a string',
      { ...base, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 5 } }] }] },
      {
        message:
          "Invalid type for 'messages[0].content[0].image_url.url': expected a string, but got an integer instead.",
        param: 'messages[0].content[0].image_url.url',
        code: 'invalid_type',
      },
    ],
    [
      'an unknown role',
      { ...base, messages: [{ role: 'robot', content: 'x' }] },
      {
        message:
          "Invalid value: 'robot'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool', and 'function'.",
        param: 'messages[0].role',
        code: 'invalid_value',
      },
    ],
    [
      'no messages',
      { ...base, messages: [] },
      {
        message:
          "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        param: 'messages',
        code: 'empty_array',
      },
    ],
    [
      'a temperature above 2',
      { ...base, temperature: 2.5 },
      {
        message:
          "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.",
        param: 'temperature',
        code: 'decimal_above_max_value',
      },
    ],
    [
      'max_tokens of zero',
      { ...base, max_tokens: 0 },
      {
        message:
          "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.",
        param: 'max_tokens',
        code: 'integer_below_min_value',
      },
    ],
    [
      'a fractional max_completion_tokens',
      { ...base, max_completion_tokens: 1.5 },
      {
        message: "Invalid type for 'max_completion_tokens': expected an integer, but got a decimal instead.",
        param: 'max_completion_tokens',
        code: 'invalid_type',
      },
    ],
    [
      'five stop sequences',
      { ...base, stop: ['a', 'b', 'c', 'd', 'e'] },
      {
        message:
          "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length 5 instead.",
        param: 'stop',
        code: 'array_above_max_length',
      },
    ],
    [
      'an unknown response format',
      { ...base, response_format: { type: 'yaml' } },
      {
        message: "Invalid value: 'yaml'. Supported values are: 'text', 'json_object', and 'json_schema'.",
        param: 'response_format.type',
        code: 'invalid_value',
      },
    ],
    [
      'a json_schema format without a schema name',
      { ...base, response_format: { type: 'json_schema', json_schema: { schema: {} } } },
      {
        message: "Missing required parameter: 'response_format.json_schema.name'.",
        param: 'response_format.json_schema.name',
        code: 'missing_required_parameter',
      },
    ],
    [
      'a tool message without tool_call_id',
      { ...base, messages: [{ role: 'tool', content: 'x' }] },
      {
        message: "Missing required parameter: 'messages[0].tool_call_id'.",
        param: 'messages[0].tool_call_id',
        code: 'missing_required_parameter',
      },
    ],
    [
      'a user message without content',
      { ...base, messages: [{ role: 'user' }] },
      {
        message: "Missing required parameter: 'messages[0].content'.",
        param: 'messages[0].content',
        code: 'missing_required_parameter',
      },
    ],
    [
      'a tool without a function name',
      { ...base, tools: [{ type: 'function', function: { parameters: {} } }] },
      {
        message: "Missing required parameter: 'tools[0].function.name'.",
        param: 'tools[0].function.name',
        code: 'missing_required_parameter',
      },
    ],
    [
      'a tool_choice that is neither a mode nor a function',
      { ...base, tool_choice: 'sometimes' },
      {
        message: "Invalid value: 'sometimes'. Supported values are: 'none', 'auto', and 'required'.",
        param: 'tool_choice',
        code: 'invalid_value',
      },
    ],
    [
      'stream that is not a boolean',
      { ...base, stream: 'yes' },
      {
        message: "Invalid type for 'stream': expected a boolean, but got a string instead.",
        param: 'stream',
        code: 'invalid_type',
      },
    ],
  ])('%s', (_name, body, expected) => {
    expect(rejection(body)).toEqual({ ...expected, status: 400 });
  });

  it('describes a tool_choice of the wrong type', () => {
    expect(rejection({ ...base, tool_choice: 3 }).message).toBe(
      "Invalid type for 'tool_choice': expected one of 'none', 'auto', 'required' or an object naming a function, but got an integer instead.",
    );
  });

  it('rejects a body that is not an object', () => {
    expect(rejection([1, 2]).status).toBe(400);
    expect(rejection(null).message).toMatch(/JSON object/);
  });
});

describe('tool schemas are taken as given', () => {
  it('keeps a parameters schema by reference and rejects one that is not an object', () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } } };
    const parsed = parseChatRequest({
      ...base,
      tools: [{ type: 'function', function: { name: 'f', parameters } }],
    });
    expect(parsed.tools?.[0].function.parameters).toBe(parameters);
    expect(
      rejection({ ...base, tools: [{ type: 'function', function: { name: 'f', parameters: [] } }] }),
    ).toEqual({
      message:
        "Invalid type for 'tools[0].function.parameters': expected an object, but got an array instead.",
      param: 'tools[0].function.parameters',
      code: 'invalid_type',
      status: 400,
    });
  });
});
