import { describe, expect, it } from 'vitest';
import { BUILTIN_PRICES } from '../../src/cost/builtin-prices.js';
import { PriceBook } from '../../src/cost/price-book.js';
import type { Deployment } from '../../src/spec/deployment.js';

const book = new PriceBook();

function deployment(over: Partial<Deployment>): Deployment {
  return {
    id: 'd1',
    provider: 'openai-compatible',
    vendor: 'openai',
    baseUrl: 'http://127.0.0.1:1/v1',
    model: 'gpt-4o',
    headers: {},
    timeouts: { connectMs: 1, firstTokenMs: 1, idleMs: 1, totalMs: 1 },
    location: 'external',
    tags: {},
    weight: 1,
    logBodies: false,
    ...over,
  };
}

describe('built-in catalogue', () => {
  it('every entry has a source URL, a date and input and output prices', () => {
    for (const e of BUILTIN_PRICES) {
      expect(e.source, e.model).toMatch(/^https:\/\//);
      expect(e.retrieved, e.model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.inputPerMillionUsd, e.model).toBeGreaterThan(0);
      expect(e.outputPerMillionUsd, e.model).toBeGreaterThan(0);
    }
  });

  it.each([
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1',
    'gpt-4.1-mini',
    'gpt-4.1-nano',
    'o1',
    'o3',
    'o3-mini',
    'o4-mini',
    'claude-3-5-haiku',
    'claude-haiku-4-5',
    'claude-sonnet-4',
    'claude-sonnet-4-5',
    'claude-opus-4',
    'claude-opus-4-1',
    'gemini-2.5-pro',
    'gemini-2.5-flash',
  ])('knows %s', (model) => {
    expect(book.lookup(model).found).toBe(true);
  });
});

describe('PriceBook.lookup', () => {
  it.each([
    ['gpt-4o-2024-08-06', undefined, 2.5, 10],
    ['openai/gpt-4o', undefined, 2.5, 10],
    ['GPT-4o-mini-2024-07-18', undefined, 0.15, 0.6],
    ['claude-sonnet-4-20250514', undefined, 3, 15],
    ['anthropic/claude-opus-4-1-20250805', undefined, 15, 75],
    ['together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo', undefined, 0.88, 0.88],
    ['llama-3.3-70b', 'groq', 0.59, 0.79],
    ['llama-3.3-70b-versatile', undefined, 0.59, 0.79],
    ['meta-llama/Llama-3.3-70B-Instruct', 'deepinfra', 0.23, 0.4],
    ['accounts/fireworks/models/mixtral-8x7b-instruct', undefined, 0.5, 0.5],
    ['deepseek-v3', 'together', 1.25, 1.25],
  ])('%s (provider %s) → $%s in / $%s out', (model, provider, input, output) => {
    const hit = book.lookup(model, provider);
    expect(hit.found).toBe(true);
    if (hit.found)
      expect([hit.prices.inputPerMillionUsd, hit.prices.outputPerMillionUsd]).toEqual([input, output]);
  });

  it('a model several providers sell is ambiguous without a provider', () => {
    const hit = book.lookup('llama-3.3-70b');
    expect(hit.found).toBe(false);
    if (!hit.found) expect(hit.reason).toMatch(/together.*groq|groq.*together/);
  });

  it('does not borrow another provider’s price', () => {
    expect(book.lookup('llama-3.3-70b', 'vllm').found).toBe(false);
    expect(book.lookup('mixtral-8x7b', 'groq').found).toBe(false);
  });

  it('config overrides win over the catalogue, files in between', () => {
    const layered = new PriceBook({
      files: [
        {
          path: 'a.json',
          entries: [
            {
              model: 'gpt-4o',
              provider: 'openai',
              inputPerMillionUsd: 2,
              outputPerMillionUsd: 9,
              source: 'a',
              retrieved: '2026-01-01',
            },
          ],
        },
      ],
      overrides: { 'my-model': { inputPerMillionUsd: 0.1, outputPerMillionUsd: 0.2 } },
    });
    const fromFile = layered.lookup('gpt-4o-2024-11-20');
    expect(fromFile.found && [fromFile.origin, fromFile.prices.outputPerMillionUsd]).toEqual(['file', 9]);
    const overridden = new PriceBook({
      overrides: { 'gpt-4o': { inputPerMillionUsd: 1, outputPerMillionUsd: 4 } },
    });
    const hit = overridden.lookup('openai/gpt-4o');
    expect(hit.found && [hit.origin, hit.prices.inputPerMillionUsd]).toEqual(['config', 1]);
    const own = layered.lookup('my-model', 'vllm');
    expect(own.found && own.prices.outputPerMillionUsd).toBe(0.2);
  });
});

describe('PriceBook.forDeployment', () => {
  it('uses the vendor’s list price', () => {
    const hit = book.forDeployment(deployment({ vendor: 'groq', model: 'llama-3.3-70b-versatile' }));
    expect(hit.found && hit.prices.inputPerMillionUsd).toBe(0.59);
  });

  it('deployment prices win field by field', () => {
    const hit = book.forDeployment(deployment({ model: 'gpt-4o', prices: { inputPerMillionUsd: 2 } }));
    expect(hit.found && hit.origin).toBe('deployment');
    expect(hit.found && hit.prices).toEqual({
      inputPerMillionUsd: 2,
      outputPerMillionUsd: 10,
      cachedInputPerMillionUsd: 1.25,
    });
  });

  it('an OpenRouter deployment falls back to the underlying provider’s list price', () => {
    const hit = book.forDeployment(
      deployment({ vendor: 'openrouter', model: 'anthropic/claude-sonnet-4.5' }),
    );
    expect(hit.found && [hit.entry.model, hit.prices.outputPerMillionUsd]).toEqual(['claude-sonnet-4-5', 15]);
  });

  it('a self-hosted model with no prices is not found (so never $0)', () => {
    expect(
      book.forDeployment(deployment({ vendor: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct' })).found,
    ).toBe(false);
  });

  it('anthropic deployments use Anthropic prices', () => {
    const hit = book.forDeployment(
      deployment({ provider: 'anthropic', vendor: 'anthropic', model: 'claude-haiku-4-5-20251001' }),
    );
    expect(hit.found && hit.prices).toEqual({
      inputPerMillionUsd: 1,
      outputPerMillionUsd: 5,
      cachedInputPerMillionUsd: 0.1,
    });
  });
});
