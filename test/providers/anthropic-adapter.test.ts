import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_VENDORS } from '../../src/config/builtin-vendors.js';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../../src/spec/chat.js';
import type { Deployment } from '../../src/spec/deployment.js';
import { UpstreamError } from '../../src/spec/gateway-error.js';
import { createProviderRegistry, type ProviderRegistry } from '../../src/providers/registry.js';
import { encodeSseEvent } from '../../src/sse/encode-sse-event.js';
import {
  fixtureJson,
  readFixture,
  sseChunks,
  startRecordedUpstream,
  type RecordedUpstream,
} from '../support/recorded-upstream.js';
import { callContext, caught, drain, makeDeployment } from './make-deployment.js';

const MESSAGES = 'POST /v1/messages';
let upstream: RecordedUpstream;
let registry: ProviderRegistry;
let deployment: Deployment;

const adapter = () => registry.get('anthropic');
const request = (extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'public-name',
  messages: [{ role: 'user', content: 'Hello, Claude' }],
  ...extra,
});
const sent = () => upstream.requests[0].body as Record<string, unknown>;
const stream = (name: string) => ({ chunks: sseChunks(readFixture(`anthropic/${name}`)) });
const text = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

beforeAll(async () => {
  upstream = await startRecordedUpstream();
  registry = createProviderRegistry(BUILTIN_VENDORS);
  deployment = makeDeployment({
    baseUrl: `${upstream.url}/v1`,
    provider: 'anthropic',
    vendor: 'anthropic',
    model: 'claude-sonnet-4-20250514',
  });
});
afterEach(() => {
  upstream.requests.length = 0;
});
afterAll(async () => {
  await registry.close();
  await upstream.close();
});

describe('anthropic chat', () => {
  it('answers with an OpenAI completion translated from the Messages response', async () => {
    upstream.route(MESSAGES, {
      json: fixtureJson('anthropic/message.json'),
      headers: { 'request-id': 'req_abc' },
    });
    const { completion, upstreamHeaders } = await adapter().chat(request(), callContext(deployment));
    expect(completion).toMatchObject({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'chat.completion',
      model: 'claude-3-7-sonnet-20250219',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi! My name is Claude.' },
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 2095,
        completion_tokens: 503,
        total_tokens: 2598,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
    expect(completion.choices[0].message.tool_calls).toBeUndefined();
    expect(upstreamHeaders['request-id']).toBe('req_abc');

    const req = upstream.requests[0];
    expect(req.path).toBe('/v1/messages');
    expect(req.headers['x-api-key']).toBe('sk-test');
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    expect(req.headers['x-request-id']).toBe('req-123');
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body).toEqual({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello, Claude' }] }],
    });
  });

  it('sends the deployment anthropic-version and headers', async () => {
    upstream.route(MESSAGES, { json: fixtureJson('anthropic/message.json') });
    const pinned = {
      ...deployment,
      anthropicVersion: '2024-01-01',
      headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' },
    };
    await adapter().chat(request(), callContext(pinned));
    expect(upstream.requests[0].headers['anthropic-version']).toBe('2024-01-01');
    expect(upstream.requests[0].headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
  });

  it('translates a whole conversation: system, images, tool calls, tool results and merged turns', async () => {
    upstream.route(MESSAGES, { json: fixtureJson('anthropic/message.json') });
    await adapter().chat(
      {
        model: 'public-name',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in these images, and what is the weather there?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              {
                type: 'image_url',
                image_url: { url: 'https://upload.wikimedia.org/boardwalk.jpg', detail: 'high' },
              },
            ],
          },
          {
            role: 'assistant',
            content: 'Let me check.',
            tool_calls: [
              {
                id: 'toolu_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
              },
              {
                id: 'toolu_2',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"location":"Lyon"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'toolu_1', content: '15 degrees' },
          { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: '18 degrees' }] },
          { role: 'user', content: 'Thanks!' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Get the current weather',
              parameters: {
                type: 'object',
                properties: { location: { type: 'string' } },
                required: ['location'],
              },
            },
          },
          { type: 'function', function: { name: 'get_time' } },
        ],
        tool_choice: 'required',
        parallel_tool_calls: false,
        stop: 'END',
        max_tokens: 100,
        max_completion_tokens: 200,
        temperature: 1.7,
        top_p: 0.9,
        user: 'user-7',
      },
      callContext(deployment),
    );
    expect(sent()).toEqual({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 200,
      system: 'You are terse.\n\nAnswer in French.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these images, and what is the weather there?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://upload.wikimedia.org/boardwalk.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { location: 'Lyon' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '15 degrees' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: '18 degrees' }] },
            { type: 'text', text: 'Thanks!' },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Get the current weather',
          input_schema: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
        },
        { name: 'get_time', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      stop_sequences: ['END'],
      temperature: 1,
      top_p: 0.9,
      metadata: { user_id: 'user-7' },
    });
  });

  const toolChoices: Array<[ChatCompletionRequest['tool_choice'], unknown]> = [
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
    [
      { type: 'function', function: { name: 'get_weather' } },
      { type: 'tool', name: 'get_weather' },
    ],
  ];
  for (const [choice, expected] of toolChoices) {
    it(`maps tool_choice ${JSON.stringify(choice)}`, async () => {
      upstream.route(MESSAGES, { json: fixtureJson('anthropic/message.json') });
      const tools = [
        { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } },
      ];
      await adapter().chat(
        request({ tools, tool_choice: choice, stop: ['a', 'b'] }),
        callContext(deployment),
      );
      expect(sent().tool_choice).toEqual(expected);
      expect(sent().stop_sequences).toEqual(['a', 'b']);
    });
  }

  it('returns tool_use blocks as tool calls with JSON string arguments', async () => {
    upstream.route(MESSAGES, { json: fixtureJson('anthropic/message-tool-use.json') });
    const { completion } = await adapter().chat(request(), callContext(deployment));
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toContain('I need to use the get_weather');
    expect(choice.message.tool_calls).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
      },
    ]);
  });

  it('counts cache writes and reads in prompt_tokens and maps max_tokens to length', async () => {
    upstream.route(MESSAGES, [
      { json: fixtureJson('anthropic/message-prompt-caching.json') },
      {
        json: {
          ...fixtureJson<Record<string, unknown>>('anthropic/message.json'),
          usage: {
            input_tokens: 10,
            cache_read_input_tokens: 1000,
            cache_creation_input_tokens: 5,
            output_tokens: 7,
          },
          stop_reason: 'refusal',
        },
      },
    ]);
    const first = (await adapter().chat(request(), callContext(deployment))).completion;
    expect(first.usage).toMatchObject({
      prompt_tokens: 188107,
      completion_tokens: 393,
      total_tokens: 188500,
    });
    expect(first.choices[0].finish_reason).toBe('length');
    const second = (await adapter().chat(request(), callContext(deployment))).completion;
    expect(second.usage).toMatchObject({
      prompt_tokens: 1015,
      completion_tokens: 7,
      total_tokens: 1022,
      prompt_tokens_details: { cached_tokens: 1000 },
    });
    expect(second.choices[0].finish_reason).toBe('content_filter');
  });

  it('serves response_format json_schema through a forced tool and returns its input as content', async () => {
    upstream.route(MESSAGES, { json: fixtureJson('anthropic/message-json-tool.json') });
    const schema = { type: 'object', properties: { location: { type: 'string' } } };
    const { completion } = await adapter().chat(
      request({
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'weather_report', schema, strict: true },
        },
      }),
      callContext(deployment),
    );
    expect(sent().tools).toEqual([
      {
        name: 'weather_report',
        description: 'Give the final answer as JSON through this tool.',
        input_schema: schema,
      },
    ]);
    expect(sent().tool_choice).toEqual({ type: 'tool', name: 'weather_report' });
    const choice = completion.choices[0];
    expect(JSON.parse(choice.message.content as string)).toEqual({
      location: 'San Francisco',
      temperature: 58,
      condition: 'sunny',
    });
    expect(choice.message.tool_calls).toBeUndefined();
    expect(choice.finish_reason).toBe('stop');
  });

  it('lets the model choose between its tools and the JSON tool when both are asked for', async () => {
    upstream.route(MESSAGES, { json: fixtureJson('anthropic/message-tool-use.json') });
    await adapter().chat(
      request({
        tools: [{ type: 'function', function: { name: 'get_weather' } }],
        response_format: { type: 'json_object' },
      }),
      callContext(deployment),
    );
    expect((sent().tools as Array<{ name: string }>).map((t) => t.name)).toEqual([
      'get_weather',
      'json_response',
    ]);
    expect(sent().tool_choice).toEqual({ type: 'any' });
  });

  it('refuses what the Messages API cannot do before calling it', async () => {
    upstream.route(MESSAGES, { json: fixtureJson('anthropic/message.json') });
    const n = await caught(() => adapter().chat(request({ n: 2 }), callContext(deployment)));
    expect(n).toMatchObject({ kind: 'http_4xx', status: 400 });
    const audio = await caught(() =>
      adapter().chat(
        request({
          messages: [
            { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAA', format: 'wav' } }] },
          ],
        }),
        callContext(deployment),
      ),
    );
    expect(audio).toMatchObject({ kind: 'http_4xx', status: 400 });
    expect(upstream.requests).toHaveLength(0);
    expect(adapter().completions).toBeUndefined();
    expect(adapter().embeddings).toBeUndefined();
  });
});

describe('anthropic streaming', () => {
  it('translates the event stream into OpenAI chunks with a final usage chunk', async () => {
    upstream.route(MESSAGES, stream('stream.sse'));
    const result = await adapter().chatStream(request({ stream: true }), callContext(deployment));
    const chunks = await drain(result.chunks);
    expect(sent().stream).toBe(true);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(text(chunks)).toBe('Hello!');
    expect(chunks.every((c) => c.id === 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY')).toBe(true);
    expect(
      chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'claude-opus-4-20250514'),
    ).toBe(true);
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finish).toHaveLength(1);
    expect(finish[0].choices[0].finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 15, total_tokens: 40 });
  });

  it('indexes tool calls from zero although the tool block is the second block', async () => {
    upstream.route(MESSAGES, {
      chunks: sseChunks(readFixture('anthropic/stream-tool-use.sse'), { everyBytes: 11 }),
    });
    const chunks = await drain((await adapter().chatStream(request(), callContext(deployment))).chunks);
    expect(text(chunks)).toBe("Okay, let's check the weather for San Francisco, CA:");
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toEqual({
      index: 0,
      id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(calls.every((c) => c.index === 0)).toBe(true);
    expect(JSON.parse(calls.map((c) => c.function?.arguments ?? '').join(''))).toEqual({
      location: 'San Francisco, CA',
      unit: 'fahrenheit',
    });
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 472, completion_tokens: 89 });
  });

  it('numbers parallel tool calls 0, 1, ...', async () => {
    const ev = (o: Record<string, unknown>) => encodeSseEvent(JSON.stringify(o), o.type as string);
    const body =
      ev({
        type: 'message_start',
        message: { id: 'msg_p', model: 'claude', usage: { input_tokens: 5, output_tokens: 1 } },
      }) +
      ev({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't_a', name: 'a', input: {} },
      }) +
      ev({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"x":1}' },
      }) +
      ev({ type: 'content_block_stop', index: 0 }) +
      ev({
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 't_b', name: 'b', input: {} },
      }) +
      ev({
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"y":2}' },
      }) +
      ev({ type: 'content_block_stop', index: 1 }) +
      ev({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 30 } }) +
      ev({ type: 'message_stop' });
    upstream.route(MESSAGES, { chunks: sseChunks(body) });
    const chunks = await drain((await adapter().chatStream(request(), callContext(deployment))).chunks);
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls.map((c) => [c.index, c.id ?? c.function?.arguments])).toEqual([
      [0, 't_a'],
      [0, '{"x":1}'],
      [1, 't_b'],
      [1, '{"y":2}'],
    ]);
  });

  it('maps thinking deltas to reasoning_content and ignores signatures', async () => {
    upstream.route(MESSAGES, stream('stream-thinking.sse'));
    const chunks = await drain((await adapter().chatStream(request(), callContext(deployment))).chunks);
    const reasoning = chunks
      .map((c) => (c.choices[0]?.delta.reasoning_content as string | undefined) ?? '')
      .join('');
    expect(reasoning).toBe(
      'Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3',
    );
    expect(text(chunks)).toBe('27 * 453 = 12,231');
  });

  it('streams a forced JSON answer as content', async () => {
    const ev = (o: Record<string, unknown>) => encodeSseEvent(JSON.stringify(o), o.type as string);
    const body =
      ev({
        type: 'message_start',
        message: { id: 'msg_j', model: 'claude', usage: { input_tokens: 5, output_tokens: 1 } },
      }) +
      ev({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't', name: 'json_response', input: {} },
      }) +
      ev({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"ok":' },
      }) +
      ev({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: 'true}' },
      }) +
      ev({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }) +
      ev({ type: 'message_stop' });
    upstream.route(MESSAGES, { chunks: sseChunks(body) });
    const chunks = await drain(
      (
        await adapter().chatStream(
          request({ response_format: { type: 'json_object' } }),
          callContext(deployment),
        )
      ).chunks,
    );
    expect(text(chunks)).toBe('{"ok":true}');
    expect(chunks.some((c) => c.choices[0]?.delta.tool_calls)).toBe(false);
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe('stop');
  });

  it('throws an overloaded_error event as a 5xx failure after the text before it', async () => {
    upstream.route(MESSAGES, stream('stream-error-overloaded.sse'));
    const result = await adapter().chatStream(request(), callContext(deployment));
    const seen: string[] = [];
    const err = await caught(async () => {
      for await (const c of result.chunks) seen.push(c.choices[0]?.delta.content ?? '');
    });
    expect(seen.join('')).toBe('Once upon');
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: 'http_5xx', upstreamStatus: 529, message: 'Overloaded', status: 502 });
  });

  it('reports a stream that stops before message_stop as a protocol failure', async () => {
    const cut = readFixture('anthropic/stream.sse').split('event: message_delta')[0];
    upstream.route(MESSAGES, { chunks: sseChunks(cut) });
    const err = await caught(async () =>
      drain((await adapter().chatStream(request(), callContext(deployment))).chunks),
    );
    expect(err).toMatchObject({ kind: 'protocol' });
  });

  it('closes the upstream socket when the consumer stops or the signal aborts', async () => {
    const head = readFixture('anthropic/stream.sse').split('event: content_block_stop')[0];
    upstream.route(MESSAGES, { chunks: sseChunks(head), holdOpen: true });
    const first = await adapter().chatStream(request(), callContext(deployment));
    for await (const c of first.chunks) if (c.choices[0]?.delta.content === 'Hello') break;
    expect(await upstream.requests[0].closed).toEqual({ aborted: true });

    const stalled = await adapter().chatStream(request(), callContext(deployment));
    const reader = stalled.chunks[Symbol.asyncIterator]();
    for (let i = 0; i < 3; i++) await reader.next();
    const pending = reader.next().catch((err: unknown) => err);
    await reader.return?.();
    expect(await upstream.requests[1].closed).toEqual({ aborted: true });
    expect(await pending).toBeInstanceOf(UpstreamError);

    const controller = new AbortController();
    const second = await adapter().chatStream(request(), callContext(deployment, controller.signal));
    const it = second.chunks[Symbol.asyncIterator]();
    await it.next();
    controller.abort();
    await caught(async () => {
      while (!(await it.next()).done);
    });
    expect(await upstream.requests[2].closed).toEqual({ aborted: true });
  });
});

describe('anthropic failures', () => {
  const cases: Array<{
    status: number;
    fixture: string;
    kind: string;
    clientStatus: number;
    headers?: Record<string, string>;
  }> = [
    { status: 529, fixture: 'error-overloaded.json', kind: 'http_5xx', clientStatus: 502 },
    {
      status: 429,
      fixture: 'error-rate-limit.json',
      kind: 'rate_limited',
      clientStatus: 429,
      headers: { 'retry-after': '17' },
    },
    { status: 400, fixture: 'error-prompt-too-long.json', kind: 'context_length', clientStatus: 400 },
    { status: 400, fixture: 'error-invalid-request.json', kind: 'http_4xx', clientStatus: 400 },
  ];
  for (const c of cases) {
    it(`maps HTTP ${c.status} ${c.fixture} to ${c.kind}`, async () => {
      const body = fixtureJson<{ error: { message: string } }>(`anthropic/${c.fixture}`);
      upstream.route(MESSAGES, { status: c.status, json: body, headers: c.headers });
      for (const call of [
        () => adapter().chat(request(), callContext(deployment)),
        () => adapter().chatStream(request(), callContext(deployment)),
      ]) {
        const err = (await caught(call)) as UpstreamError;
        expect(err).toBeInstanceOf(UpstreamError);
        expect(err.kind).toBe(c.kind);
        expect(err.status).toBe(c.clientStatus);
        expect(err.upstreamStatus).toBe(c.status);
        expect(err.message).toBe(body.error.message);
        if (c.headers) expect(err.retryAfterMs).toBe(17_000);
      }
    });
  }

  it('reports an answer that is not a Messages response as a protocol failure', async () => {
    upstream.route(MESSAGES, { json: fixtureJson('openai/chat-completion.json') });
    const err = await caught(() => adapter().chat(request(), callContext(deployment)));
    expect(err).toMatchObject({ kind: 'protocol' });
  });
});
