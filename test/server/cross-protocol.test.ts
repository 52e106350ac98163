import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

let openaiSim: Simulator;
let anthropicSim: Simulator;
let gw: TestGateway;

const tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

beforeAll(async () => {
  openaiSim = await startSimulator({ model: 'llama-sim', outputTokens: 10 });
  anthropicSim = await startSimulator({
    protocol: 'anthropic',
    model: 'claude-sim',
    outputTokens: 10,
    apiKey: 'sk-ant-upstream',
  });
  gw = await startTestGateway(
    {
      deployments: [
        { id: 'llama', baseUrl: openaiSim.url, model: 'llama-sim', location: 'internal' },
        {
          id: 'claude',
          provider: 'anthropic',
          baseUrl: anthropicSim.url,
          model: 'claude-sim',
          apiKeyEnv: 'ANTHROPIC_KEY',
        },
      ],
      models: [
        { name: 'open-model', deployments: ['llama'] },
        { name: 'claude', deployments: ['claude'] },
      ],
    },
    { ANTHROPIC_KEY: 'sk-ant-upstream' },
  );
});

afterAll(async () => {
  await gw?.close();
  await openaiSim?.close();
  await anthropicSim?.close();
});

describe('Anthropic SDK served by an OpenAI-compatible upstream (/v1/messages)', () => {
  const client = () => new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0 });

  it('answers with a message, system prompt translated', async () => {
    const message = await client().messages.create({
      model: 'open-model',
      max_tokens: 100,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.content[0].type).toBe('text');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBe(10);
    const sent = openaiSim.stats.recent.at(-1)!.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(sent.messages[0]).toMatchObject({ role: 'system', content: 'You are terse.' });
  });

  it('streams events the SDK assembles into the final message', async () => {
    const stream = client().messages.stream({
      model: 'open-model',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Stream please' }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0].type).toBe('text');
    expect((final.content[0] as { text: string }).text).toContain('simulated');
    expect(final.usage.output_tokens).toBe(10);
  });

  it('translates tool use both ways', async () => {
    const message = await client().messages.create({
      model: 'open-model',
      max_tokens: 100,
      tools: [
        {
          name: tool.name,
          description: tool.description,
          input_schema: tool.parameters as Anthropic.Tool.InputSchema,
        },
      ],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    expect(message.stop_reason).toBe('tool_use');
    const use = message.content.find((b) => b.type === 'tool_use') as Anthropic.ToolUseBlock;
    expect(use.name).toBe('get_weather');
    expect(use.input).toHaveProperty('city');
  });

  it('reports max_tokens as the stop reason when the limit is hit', async () => {
    const message = await client().messages.create({
      model: 'open-model',
      max_tokens: 3,
      messages: [{ role: 'user', content: 'Write a lot' }],
    });
    expect(message.stop_reason).toBe('max_tokens');
  });

  it("answers errors in Anthropic's shape", async () => {
    const err = await client()
      .messages.create({ model: 'nope', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
  });
});

describe('OpenAI SDK served by an Anthropic upstream', () => {
  const client = () => new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });

  it('answers a chat completion, non-streamed and streamed, with usage', async () => {
    const completion = await client().chat.completions.create({
      model: 'claude',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(completion.choices[0].message.content).toContain('simulated');
    expect(completion.usage?.completion_tokens).toBe(10);
    const sent = anthropicSim.stats.recent.at(-1)!.body as { system?: unknown; max_tokens: number };
    expect(JSON.stringify(sent.system)).toContain('Be brief.');
    expect(sent.max_tokens).toBeGreaterThan(0);

    const stream = await client().chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toContain('simulated');
    expect(usage?.completion_tokens).toBe(10);
  });

  it('translates function tools to tool_use and back', async () => {
    const completion = await client().chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [{ type: 'function', function: tool }],
      tool_choice: 'required',
    });
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    const call = completion.choices[0].message.tool_calls![0] as {
      function: { name: string; arguments: string };
    };
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toHaveProperty('city');
  });
});

describe('OpenAI Responses API served by a chat-completions upstream (/v1/responses)', () => {
  const client = () => new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });

  it('answers with output_text', async () => {
    const response = await client().responses.create({
      model: 'open-model',
      input: 'Say hi',
      instructions: 'Be brief',
    });
    expect(response.status).toBe('completed');
    expect(response.output_text).toContain('simulated');
    expect(response.usage?.output_tokens).toBe(10);
  });

  it('streams events ending in response.completed', async () => {
    const stream = await client().responses.create({ model: 'open-model', input: 'Stream', stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(text).toContain('simulated');
  });

  it('calls function tools', async () => {
    const response = await client().responses.create({
      model: 'open-model',
      input: 'Weather in Rome?',
      tools: [{ type: 'function', name: tool.name, parameters: tool.parameters, strict: false }],
      tool_choice: 'required',
    });
    const call = response.output.find((o) => o.type === 'function_call') as {
      name: string;
      arguments: string;
    };
    expect(call.name).toBe('get_weather');
    expect(JSON.parse(call.arguments)).toHaveProperty('city');
  });
});
