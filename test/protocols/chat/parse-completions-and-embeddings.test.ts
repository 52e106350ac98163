import { describe, expect, it } from 'vitest';
import { parseCompletionsRequest } from '../../../src/protocols/chat/parse-completions-request.js';
import { parseEmbeddingsRequest } from '../../../src/protocols/chat/parse-embeddings-request.js';
import { GatewayError } from '../../../src/spec/gateway-error.js';

function rejection(parse: (b: unknown) => unknown, body: unknown): GatewayError {
  try {
    parse(body);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected the request to be rejected');
}

describe('parseCompletionsRequest', () => {
  it.each([
    ['a string prompt', 'Once upon a time'],
    ['several prompts', ['a', 'b']],
    ['token ids', [1, 2, 3]],
    ['batches of token ids', [[1, 2], [3]]],
  ])('accepts %s', (_name, prompt) => {
    expect(parseCompletionsRequest({ model: 'm', prompt, max_tokens: 8, echo: true }).prompt).toEqual(prompt);
  });

  it('keeps vendor fields for the upstream', () => {
    expect(parseCompletionsRequest({ model: 'm', prompt: 'x', top_k: 5 }).top_k).toBe(5);
  });

  it.each([
    [{ model: 'm' }, 'prompt', "Missing required parameter: 'prompt'."],
    [{ prompt: 'x' }, 'model', "Missing required parameter: 'model'."],
    [
      { model: 'm', prompt: { text: 'x' } },
      'prompt',
      /^Invalid type for 'prompt': expected a string, an array of strings/,
    ],
    [{ model: 'm', prompt: 'x', logprobs: 6 }, 'logprobs', /Expected a value <= 5, but got 6 instead/],
  ])('rejects %j naming %s', (body, param, message) => {
    const err = rejection(parseCompletionsRequest, body);
    expect(err.param).toBe(param);
    expect(err.message).toMatch(message);
  });
});

describe('parseEmbeddingsRequest', () => {
  it('accepts text, texts and tokens with the OpenAI options', () => {
    expect(
      parseEmbeddingsRequest({ model: 'e', input: 'hi', encoding_format: 'base64', dimensions: 256 }).input,
    ).toBe('hi');
    expect(parseEmbeddingsRequest({ model: 'e', input: ['a', 'b'] }).input).toEqual(['a', 'b']);
    expect(parseEmbeddingsRequest({ model: 'e', input: [[1, 2]] }).input).toEqual([[1, 2]]);
  });

  it.each([
    [{ model: 'e' }, 'input', "Missing required parameter: 'input'."],
    [{ model: 'e', input: [] }, 'input', /^Invalid 'input': empty array/],
    [
      { model: 'e', input: 'x', encoding_format: 'int8' },
      'encoding_format',
      "Invalid value: 'int8'. Supported values are: 'float' and 'base64'.",
    ],
    [{ model: 'e', input: 'x', dimensions: 0 }, 'dimensions', /integer below minimum value/],
  ])('rejects %j naming %s', (body, param, message) => {
    const err = rejection(parseEmbeddingsRequest, body);
    expect(err.status).toBe(400);
    expect(err.param).toBe(param);
    expect(err.message).toMatch(message);
  });
});
