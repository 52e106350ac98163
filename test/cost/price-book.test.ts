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

describe('the imported catalogue: snapshots and families priced as billed', () => {
  it.each([
    // chatgpt-4o-latest and the first gpt-4o snapshot are billed at $5 / $15, not gpt-4o's $2.50 / $10
    ['chatgpt-4o-latest', 5, 15, undefined],
    ['gpt-4o-2024-05-13', 5, 15, undefined],
    ['gpt-4o-2024-08-06', 2.5, 10, 1.25],
    ['gpt-4o', 2.5, 10, 1.25],
    ['gpt-5', 1.25, 10, 0.125],
    ['gpt-5-2025-08-07', 1.25, 10, 0.125],
    ['gpt-5-mini', 0.25, 2, 0.025],
    ['gpt-5-mini-2025-08-07', 0.25, 2, 0.025],
    ['claude-3-7-sonnet', 3, 15, 0.3],
    ['claude-3-7-sonnet-latest', 3, 15, 0.3],
    ['claude-3-7-sonnet-20250219', 3, 15, 0.3],
    ['claude-opus-4-5', 5, 25, 0.5],
    ['claude-opus-4-5-20251101', 5, 25, 0.5],
    ['gpt-4', 30, 60, undefined],
    ['gpt-4-0613', 30, 60, undefined],
    ['gpt-4-turbo', 10, 30, undefined],
    ['gpt-4-turbo-2024-04-09', 10, 30, undefined],
    ['gpt-3.5-turbo', 0.5, 1.5, undefined],
    ['gpt-3.5-turbo-0125', 0.5, 1.5, undefined],
    // a fine-tuned model is billed at the fine-tuned rate of its base, never the base's own
    ['ft:gpt-4o-mini-2024-07-18:acme::9abc', 0.3, 1.2, 0.15],
  ])('%s → $%s in / $%s out / cached $%s', (model, input, output, cached) => {
    const hit = book.lookup(model);
    expect(hit.found, model).toBe(true);
    if (hit.found)
      expect([
        hit.prices.inputPerMillionUsd,
        hit.prices.outputPerMillionUsd,
        hit.prices.cachedInputPerMillionUsd,
      ]).toEqual([input, output, cached]);
  });

  it('a snapshot the catalogue does not list falls back to its model, and says which entry it used', () => {
    const hit = book.lookup('gpt-4o-2027-01-01');
    expect(hit.found && hit.entry.model).toBe('gpt-4o');
  });

  it('imported entries name the map, its snapshot and the day it was read, and carry tier rates', () => {
    const gpt4o = BUILTIN_PRICES.find((e) => e.model === 'gpt-4o');
    expect(gpt4o?.source).toMatch(/^https:\/\/github\.com\/BerriAI\/litellm\/.*\(July 2026 snapshot\)$/);
    expect(gpt4o?.tiers?.batch).toEqual({ inputPerMillionUsd: 1.25, outputPerMillionUsd: 5 });
    const sonnet = BUILTIN_PRICES.find((e) => e.model === 'claude-sonnet-4-5');
    expect(sonnet).toMatchObject({ cacheWrite5mPerMillionUsd: 3.75, cacheWrite1hPerMillionUsd: 6 });
    expect(sonnet?.longContext).toMatchObject({
      aboveInputTokens: 200_000,
      inputPerMillionUsd: 6,
      outputPerMillionUsd: 22.5,
    });
  });

  it('a figure the vendor page contradicts is corrected and says so', () => {
    // https://docs.anthropic.com/en/docs/about-claude/pricing: Claude Haiku 3 1-hour cache writes $0.50
    const haiku3 = BUILTIN_PRICES.find((e) => e.model === 'claude-3-haiku-20240307');
    expect(haiku3?.cacheWrite1hPerMillionUsd).toBe(0.5);
    expect(haiku3?.note).toMatch(/corrected from https:\/\/docs\.anthropic\.com.*the map lists/);
  });
});
