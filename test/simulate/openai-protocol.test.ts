import OpenAI from 'openai';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';

let sim: Simulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ model: ['llama-sim', 'embed-sim'], outputTokens: 12 });
  client = new OpenAI({ baseURL: sim.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => sim.close());

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 7 },
      },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

describe('chat completions through the official openai SDK', () => {
  it('answers with labelled simulated text and real usage', async () => {
    const prompt = 'Explain what a gateway does in one sentence.';
    const res = await client.chat.completions
      .create({ model: 'llama-sim', messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    const completion = res.data;
    expect(res.response.headers.get('x-switchyard-simulated')).toBe('true');
    expect(completion.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(completion.system_fingerprint).toBe('switchyard-simulated');
    expect(completion.model).toBe('llama-sim');
    const choice = completion.choices[0];
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content).toMatch(/^\[simulated llama-sim\]/);
    expect(choice.finish_reason).toBe('stop');
    expect(completion.usage?.completion_tokens).toBe(12);
    // The prompt is counted by a real tokenizer (plus OpenAI's per-message framing).
    expect(completion.usage?.prompt_tokens).toBe(countTokens(`user\n${prompt}\n`) + 6);
    expect(completion.usage?.total_tokens).toBe(completion.usage!.prompt_tokens + 12);
  });

  it('streams a role chunk, content chunks, a finish chunk and a usage chunk with no choices', async () => {
    const stream = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toMatch(/^\[simulated llama-sim\]/);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish?.choices[0].finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.completion_tokens).toBe(12);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('frames the stream byte for byte as OpenAI does', async () => {
    const res = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'llama-sim',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const raw = await res.text();
    expect(raw.endsWith('data: [DONE]\n\n')).toBe(true);
    const events = raw.split('\n\n').filter(Boolean);
    for (const e of events) expect(e).toMatch(/^data: (\{.*\}|\[DONE\])$/s);
    // role chunk + 12 content chunks + finish chunk + usage chunk + [DONE]
    expect(events).toHaveLength(16);
    expect(JSON.parse(events[14].slice(6))).toMatchObject({ choices: [], usage: { completion_tokens: 12 } });
  });

  it('sends no usage chunk when the stream did not ask for one, or when told to ignore the request', async () => {
    const read = async () => {
      const s = await client.chat.completions.create({
        model: 'llama-sim',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks = [];
      for await (const c of s) chunks.push(c);
      return chunks;
    };
    expect((await read()).some((c) => c.usage)).toBe(true);
    sim.setBehaviour({ omitStreamUsage: true });
    try {
      expect((await read()).some((c) => c.usage)).toBe(false);
    } finally {
      sim.setBehaviour({ omitStreamUsage: false });
    }
  });

  it('calls a tool with arguments that fit its schema when the tool is required', async () => {
    const completion = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'Hello' }],
      tools: [weatherTool],
      tool_choice: 'required',
    });
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0];
    expect(call.type).toBe('function');
    if (call.type !== 'function') return;
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as { city: unknown; unit: unknown; days: number };
    expect(typeof args.city).toBe('string');
    expect(['celsius', 'fahrenheit']).toContain(args.unit);
    expect(Number.isInteger(args.days) && args.days >= 1 && args.days <= 7).toBe(true);
  });

  it('calls a tool the prompt names under auto, and answers in text after the tool result', async () => {
    const first = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'Please get_weather for Paris' }],
      tools: [weatherTool],
    });
    const call = first.choices[0].message.tool_calls![0];
    const second = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [
        { role: 'user', content: 'Please get_weather for Paris' },
        first.choices[0].message,
        { role: 'tool', tool_call_id: call.id, content: '{"temp": 21}' },
      ],
      tools: [weatherTool],
    });
    expect(second.choices[0].finish_reason).toBe('stop');
    expect(second.choices[0].message.content).toMatch(/^\[simulated/);
    const plain = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'Say hello' }],
      tools: [weatherTool],
    });
    expect(plain.choices[0].message.tool_calls ?? []).toEqual([]);
  });

  it('streams tool calls the SDK can reassemble', async () => {
    const stream = client.chat.completions.stream({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0].message.tool_calls![0];
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(JSON.parse(call.function.arguments)).toHaveProperty('city');
  });

  it('answers valid JSON in json_object mode and schema-shaped JSON in json_schema mode', async () => {
    const obj = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'Give me JSON' }],
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(obj.choices[0].message.content!)).toBeTypeOf('object');
    expect(obj.choices[0].message.content).toContain('[simulated llama-sim]');

    const structured = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'Extract the person' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'person',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              age: { type: 'integer', minimum: 0, maximum: 120 },
              tags: { type: 'array', items: { type: 'string' } },
              address: { $ref: '#/$defs/address' },
            },
            required: ['name', 'age', 'tags', 'address'],
            additionalProperties: false,
            $defs: {
              address: {
                type: 'object',
                properties: { city: { type: 'string' }, zip: { type: ['string', 'null'] } },
                required: ['city', 'zip'],
              },
            },
          },
        },
      },
    });
    const person = JSON.parse(structured.choices[0].message.content!) as Record<string, unknown>;
    expect(Object.keys(person).sort()).toEqual(['address', 'age', 'name', 'tags']);
    expect(typeof person.name).toBe('string');
    expect(Number.isInteger(person.age)).toBe(true);
    expect(Array.isArray(person.tags)).toBe(true);
    expect(person.address).toMatchObject({ city: expect.any(String) });
  });

  it('honours max_tokens, stop, n and logprobs', async () => {
    const short = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'hi' }],
      max_completion_tokens: 4,
    });
    expect(short.choices[0].finish_reason).toBe('length');
    expect(short.usage?.completion_tokens).toBe(4);

    const stopped = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'hi' }],
      stop: ['simulated'],
    });
    expect(stopped.choices[0].message.content).toBe('[');
    expect(stopped.choices[0].finish_reason).toBe('stop');

    const many = await client.chat.completions.create({
      model: 'llama-sim',
      messages: [{ role: 'user', content: 'hi' }],
      n: 3,
      logprobs: true,
      top_logprobs: 2,
    });
    expect(many.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(many.usage?.completion_tokens).toBe(36);
    const lp = many.choices[0].logprobs!.content!;
    expect(lp).toHaveLength(12);
    expect(lp.map((t) => t.token).join('')).toBe(many.choices[0].message.content);
    expect(lp[0].top_logprobs).toHaveLength(2);
    expect(lp[0].logprob).toBeLessThanOrEqual(0);
  });

  it('is deterministic for the same seed and prompt, and varies otherwise', async () => {
    const ask = async (seed: number, content: string) =>
      (
        await client.chat.completions.create({
          model: 'llama-sim',
          messages: [{ role: 'user', content }],
          seed,
          max_tokens: 30,
          n: 2,
        })
      ).choices.map((c) => c.message.content);
    sim.setBehaviour({ outputTokens: 30 });
    try {
      const a = await ask(7, 'same prompt');
      expect(await ask(7, 'same prompt')).toEqual(a);
      expect(await ask(8, 'same prompt')).not.toEqual(a);
      expect(await ask(7, 'other prompt')).not.toEqual(a);
      expect(a[0]).not.toEqual(a[1]);
    } finally {
      sim.setBehaviour({ outputTokens: 12 });
    }
  });

  it('rejects a context that does not fit, in OpenAI shape', async () => {
    sim.setBehaviour({ contextWindow: 100 });
    try {
      const err = await client.chat.completions
        .create({ model: 'llama-sim', messages: [{ role: 'user', content: 'word '.repeat(200) }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
    } finally {
      sim.setBehaviour({ contextWindow: 131_072 });
    }
  });
});

describe('other OpenAI endpoints', () => {
  it('embeds deterministically with the requested dimensions, as floats and as base64', async () => {
    const a = await client.embeddings.create({
      model: 'embed-sim',
      input: ['alpha', 'beta'],
      dimensions: 64,
    });
    expect(a.data).toHaveLength(2);
    expect(a.data[0].embedding).toHaveLength(64);
    const norm = Math.hypot(...a.data[0].embedding);
    expect(norm).toBeCloseTo(1, 4);
    const again = await client.embeddings.create({
      model: 'embed-sim',
      input: 'alpha',
      dimensions: 64,
      encoding_format: 'float',
    });
    expect(again.data[0].embedding).toEqual(a.data[0].embedding);
    expect(a.data[1].embedding).not.toEqual(a.data[0].embedding);
    expect(a.usage.prompt_tokens).toBe(2);
    const full = await client.embeddings.create({ model: 'embed-sim', input: 'alpha' });
    expect(full.data[0].embedding).toHaveLength(1536);
  });

  it('lists the served models', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(['llama-sim', 'embed-sim']);
    const one = await client.models.retrieve('embed-sim');
    expect(one.owned_by).toBe('vllm');
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('serves legacy text completions, streamed with usage too', async () => {
    const done = await client.completions.create({
      model: 'llama-sim',
      prompt: 'Once upon a time',
      max_tokens: 5,
    });
    expect(done.object).toBe('text_completion');
    expect(done.choices[0].text).toMatch(/^\[simulated/);
    expect(done.choices[0].finish_reason).toBe('length');
    expect(done.usage?.completion_tokens).toBe(5);
    const stream = await client.completions.create({
      model: 'llama-sim',
      prompt: 'Once',
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage;
    for await (const c of stream) {
      text += c.choices[0]?.text ?? '';
      if (c.usage) usage = c.usage;
    }
    expect(text).toMatch(/^\[simulated llama-sim\]/);
    expect(usage?.completion_tokens).toBe(12);
  });

  it('reports health, and errors in OpenAI shape for bad JSON and unknown paths', async () => {
    expect((await fetch(`${sim.origin}/health`)).status).toBe(200);
    const bad = await fetch(`${sim.url}/chat/completions`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.any(String) },
    });
    const missing = await fetch(`${sim.url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'unknown_url' } });
    const noMessages = await client.chat.completions
      .create({ model: 'llama-sim', messages: [] })
      .catch((e: unknown) => e);
    expect(noMessages).toMatchObject({ status: 400, param: 'messages' });
  });

  it('keeps what each request carried, for tests to inspect', async () => {
    sim.stats.reset();
    await client.chat.completions.create(
      { model: 'llama-sim', messages: [{ role: 'user', content: 'inspect me' }], temperature: 0.3 },
      { headers: { 'x-trace': 'abc' } },
    );
    expect(sim.stats.requests).toBe(1);
    const last = sim.stats.last!;
    expect(last.path).toBe('/v1/chat/completions');
    expect(last.headers['x-trace']).toBe('abc');
    expect(last.body).toMatchObject({ temperature: 0.3, messages: [{ content: 'inspect me' }] });
    expect(last.status).toBe(200);
    expect(last.completionTokens).toBe(12);
  });
});

describe('access control and model checks', () => {
  it('requires the configured key and can refuse unknown models', async () => {
    const locked = await startSimulator({ apiKey: 'sk-sim', model: 'only-this', rejectUnknownModels: true });
    try {
      const wrong = new OpenAI({ baseURL: locked.url, apiKey: 'sk-wrong', maxRetries: 0 });
      await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      const right = new OpenAI({ baseURL: locked.url, apiKey: 'sk-sim', maxRetries: 0 });
      const err = await right.chat.completions
        .create({ model: 'other', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.NotFoundError);
      expect((err as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
      const ok = await right.chat.completions.create({
        model: 'only-this',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(ok.choices[0].message.content).toMatch(/^\[simulated only-this\]/);
    } finally {
      await locked.close();
    }
  });

  it('validates its options and names the bad one', async () => {
    await expect(startSimulator({ errorRate: 2 })).rejects.toThrow(/errorRate/);
    await expect(startSimulator({ profile: 'nope' as 'vllm' })).rejects.toThrow(/profile/);
    expect(() => sim.setBehaviour({ capacity: 0 })).toThrow(/capacity/);
  });
});

describe('request history', () => {
  it('keeps only the most recent requests, oldest first', async () => {
    const small = await startSimulator({ keepRequests: 3 });
    try {
      for (let i = 0; i < 5; i++) await fetch(`${small.url}/models?i=${i}`);
      expect(small.stats.requests).toBe(5);
      expect(small.stats.recent).toHaveLength(3);
      small.setBehaviour({ keepRequests: 2 });
      expect(small.stats.recent).toHaveLength(2);
      await fetch(`${small.origin}/health`);
      expect(small.stats.recent.map((r) => r.path)).toEqual(['/v1/models', '/health']);
      expect(small.stats.last?.path).toBe('/health');
    } finally {
      await small.close();
    }
  });
});
