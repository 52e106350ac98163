import { describe, expect, it } from 'vitest';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as encodeO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { BaselinePricer } from '../../src/cost/baseline-pricer.js';
import { completionOutputText, countChatInputText } from '../../src/cost/chat-text.js';
import { PriceBook } from '../../src/cost/price-book.js';
import { tokenizerForModel } from '../../src/cost/token-counter.js';
import type { ChatCompletionRequest } from '../../src/spec/chat.js';

const request: ChatCompletionRequest = {
  model: 'llama-3.3-70b',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Summarise the plot of Hamlet in one sentence.' },
  ],
};
const output = 'A Danish prince avenges his father’s murder and everyone dies.';

describe('tokenizerForModel', () => {
  it.each([
    ['gpt-4o', 'o200k_base', false],
    ['gpt-4o-2024-08-06', 'o200k_base', false],
    ['openai/gpt-4.1-mini', 'o200k_base', false],
    ['o3-mini', 'o200k_base', false],
    ['gpt-4', 'cl100k_base', false],
    ['gpt-3.5-turbo', 'cl100k_base', false],
    ['claude-sonnet-4-5', 'o200k_base', true],
    ['gemini-2.5-pro', 'o200k_base', true],
  ])('%s → %s (estimated %s)', (model, encoding, estimated) => {
    expect(tokenizerForModel(model)).toEqual({ encoding, estimated });
  });
});

describe('BaselinePricer', () => {
  it('counts the same text with the incumbent’s tokenizer and prices it at its list price', async () => {
    const pricer = await BaselinePricer.create('gpt-4o', new PriceBook());
    const result = pricer.price({ request, outputText: output });
    // 3 tokens framing each message + role + content, plus 3 priming the reply.
    const expectedInput =
      3 +
      (3 + encodeO200k('system').length + encodeO200k('You are terse.').length) +
      (3 + encodeO200k('user').length + encodeO200k('Summarise the plot of Hamlet in one sentence.').length);
    expect(result.inputTokens).toBe(expectedInput);
    expect(result.outputTokens).toBe(encodeO200k(output).length);
    expect(result.baselineCostUsd).toBeCloseTo(
      (expectedInput * 2.5 + encodeO200k(output).length * 10) / 1e6,
      12,
    );
    expect(result.estimated).toBe(false);
  });

  it('uses cl100k for GPT-4', async () => {
    const pricer = await BaselinePricer.create(
      'gpt-4',
      new PriceBook({ overrides: { 'gpt-4': { inputPerMillionUsd: 30, outputPerMillionUsd: 60 } } }),
    );
    expect(pricer.price({ request, outputText: output }).outputTokens).toBe(encodeCl100k(output).length);
  });

  it('marks Claude baselines as estimated', async () => {
    const pricer = await BaselinePricer.create('claude-sonnet-4-5', new PriceBook());
    const result = pricer.price({ request, outputText: output });
    expect(result.estimated).toBe(true);
    expect(result.baselineCostUsd).toBeGreaterThan(0);
  });

  it('an incumbent without a price gives null and a warning', async () => {
    const pricer = await BaselinePricer.create('mystery-model', new PriceBook());
    const result = pricer.price({ request, outputText: output });
    expect(result.baselineCostUsd).toBeNull();
    expect(result.warning).toMatch(/mystery-model/);
  });

  it('counts images as partial', async () => {
    const pricer = await BaselinePricer.create('gpt-4o', new PriceBook());
    const withImage: ChatCompletionRequest = {
      model: 'x',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image_url', image_url: { url: 'data:,' } },
          ],
        },
      ],
    };
    expect(pricer.price({ request: withImage, outputText: '' }).estimated).toBe(true);
  });
});

describe('chat text', () => {
  it('includes tool calls and tool schemas', () => {
    const text = countChatInputText({
      model: 'x',
      messages: [
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: '1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    });
    expect(text).toContain('get_weather{"city":"Oslo"}');
    expect(text).toContain('"parameters"');
    expect(
      completionOutputText({
        id: 'c',
        object: 'chat.completion',
        created: 0,
        model: 'x',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'hi' } }],
      }),
    ).toBe('hi');
  });
});
