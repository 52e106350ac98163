import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePriceFile } from '../../src/cost/parse-price-file.js';
import { PriceBook } from '../../src/cost/price-book.js';
import { formatPriceOverlay, parsePriceOverlay } from '../../src/cost/price-overlay.js';

const opts = { source: 'prices.json', retrieved: '2026-11-25' };
const LITELLM = '/work/shared/data/prices/litellm_model_prices_and_context_window.json';

describe('parsePriceFile: LiteLLM format', () => {
  const text = JSON.stringify({
    sample_spec: { input_cost_per_token: 0, output_cost_per_token: 0, mode: 'chat' },
    'gpt-4.1-mini': {
      litellm_provider: 'openai',
      mode: 'chat',
      input_cost_per_token: 4e-7,
      output_cost_per_token: 1.6e-6,
      cache_read_input_token_cost: 1e-7,
    },
    'groq/llama-3.3-70b-versatile': {
      litellm_provider: 'groq',
      mode: 'chat',
      input_cost_per_token: 5.9e-7,
      output_cost_per_token: 7.9e-7,
    },
    'text-embedding-3-small': {
      litellm_provider: 'openai',
      mode: 'embedding',
      input_cost_per_token: 2e-8,
      output_cost_per_token: 0,
    },
    'ollama/llama3': {
      litellm_provider: 'ollama',
      mode: 'chat',
      input_cost_per_token: 0,
      output_cost_per_token: 0,
    },
    'together_ai/Qwen/Qwen2.5-72B-Instruct-Turbo': { litellm_provider: 'together_ai', mode: 'chat' },
  });

  it('converts per-token prices to per million, rounded', () => {
    const parsed = parsePriceFile(text, opts);
    expect(parsed.format).toBe('litellm');
    expect(parsed.entries).toEqual([
      {
        model: 'gpt-4.1-mini',
        provider: 'openai',
        inputPerMillionUsd: 0.4,
        outputPerMillionUsd: 1.6,
        cachedInputPerMillionUsd: 0.1,
        ...opts,
      },
      {
        model: 'groq/llama-3.3-70b-versatile',
        provider: 'groq',
        inputPerMillionUsd: 0.59,
        outputPerMillionUsd: 0.79,
        ...opts,
      },
    ]);
  });

  it('says why it skipped each model', () => {
    const reasons = Object.fromEntries(parsePriceFile(text, opts).skipped.map((s) => [s.model, s.reason]));
    expect(reasons['text-embedding-3-small']).toMatch(/mode embedding/);
    expect(reasons['ollama/llama3']).toMatch(/self-hosted/);
    expect(reasons['together_ai/Qwen/Qwen2.5-72B-Instruct-Turbo']).toMatch(/no per-token/);
  });

  it.skipIf(!existsSync(LITELLM))(
    'reads the current LiteLLM file and agrees with the catalogue on gpt-4o',
    () => {
      const parsed = parsePriceFile(readFileSync(LITELLM, 'utf8'), opts);
      expect(parsed.entries.length).toBeGreaterThan(500);
      const book = new PriceBook({ files: [{ path: LITELLM, entries: parsed.entries }] });
      const hit = book.lookup('gpt-4o');
      expect(
        hit.found && [hit.origin, hit.prices.inputPerMillionUsd, hit.prices.outputPerMillionUsd],
      ).toEqual(['file', 2.5, 10]);
    },
  );
});

describe('parsePriceFile: OpenRouter format', () => {
  const text = JSON.stringify({
    data: [
      {
        id: 'openai/gpt-4o',
        pricing: { prompt: '0.0000025', completion: '0.00001', input_cache_read: '0.00000125' },
      },
      {
        id: 'meta-llama/llama-3.3-70b-instruct',
        pricing: { prompt: '0.00000013', completion: '0.00000039' },
      },
      { id: 'openrouter/auto', pricing: { prompt: '-1', completion: '-1' } },
      { id: 'meta-llama/llama-3.3-70b-instruct:free', pricing: { prompt: '0', completion: '0' } },
      { id: 'broken' },
    ],
  });

  it('reads per-token strings', () => {
    const parsed = parsePriceFile(text, opts);
    expect(parsed.format).toBe('openrouter');
    expect(
      parsed.entries.map((e) => [
        e.model,
        e.provider,
        e.inputPerMillionUsd,
        e.outputPerMillionUsd,
        e.cachedInputPerMillionUsd,
      ]),
    ).toEqual([
      ['openai/gpt-4o', 'openrouter', 2.5, 10, 1.25],
      ['meta-llama/llama-3.3-70b-instruct', 'openrouter', 0.13, 0.39, undefined],
    ]);
    expect(parsed.skipped.map((s) => s.model)).toEqual([
      'openrouter/auto',
      'meta-llama/llama-3.3-70b-instruct:free',
      'broken',
    ]);
  });

  it('imported OpenRouter prices apply to openrouter deployments', () => {
    const book = new PriceBook({ files: [{ path: 'or.json', entries: parsePriceFile(text, opts).entries }] });
    const hit = book.lookup('meta-llama/llama-3.3-70b-instruct', 'openrouter');
    expect(hit.found && hit.prices.inputPerMillionUsd).toBe(0.13);
  });

  it('rejects text that is no price list', () => {
    expect(() => parsePriceFile('[1,2]', opts)).toThrow(/neither/);
    expect(() => parsePriceFile('{', opts)).toThrow(/not JSON/);
  });
});

describe('price overlay files', () => {
  it('round-trip', () => {
    const entries = parsePriceFile(
      JSON.stringify({ data: [{ id: 'x/y', pricing: { prompt: '0.000001', completion: '0.000002' } }] }),
      opts,
    ).entries;
    expect(parsePriceOverlay(formatPriceOverlay(entries), 'f.json')).toEqual(entries);
    expect(() => parsePriceOverlay('{"prices": []}', 'f.json')).toThrow(/f\.json.*prices import/);
  });
});

describe('LiteLLM billing terms beyond the standard rate', () => {
  const spec = {
    'claude-sonnet-4-5': {
      litellm_provider: 'anthropic',
      mode: 'chat',
      input_cost_per_token: 3e-6,
      output_cost_per_token: 1.5e-5,
      cache_read_input_token_cost: 3e-7,
      cache_creation_input_token_cost: 3.75e-6,
      cache_creation_input_token_cost_above_1hr: 6e-6,
      input_cost_per_token_above_200k_tokens: 6e-6,
      output_cost_per_token_above_200k_tokens: 2.25e-5,
      cache_read_input_token_cost_above_200k_tokens: 6e-7,
    },
    'gpt-5': {
      litellm_provider: 'openai',
      mode: 'chat',
      input_cost_per_token: 1.25e-6,
      output_cost_per_token: 1e-5,
      input_cost_per_token_flex: 6.25e-7,
      output_cost_per_token_flex: 5e-6,
      cache_read_input_token_cost_flex: 6.25e-8,
      input_cost_per_token_batches: 6.25e-7,
      output_cost_per_token_batches: 5e-6,
    },
  };

  it('reads cache writes, service tiers and long-context rates, and a price file keeps them', () => {
    const { entries } = parsePriceFile(JSON.stringify(spec), opts);
    const sonnet = entries.find((e) => e.model === 'claude-sonnet-4-5');
    expect(sonnet).toMatchObject({
      cacheWrite5mPerMillionUsd: 3.75,
      cacheWrite1hPerMillionUsd: 6,
      longContext: {
        aboveInputTokens: 200_000,
        inputPerMillionUsd: 6,
        outputPerMillionUsd: 22.5,
        cachedInputPerMillionUsd: 0.6,
      },
    });
    const gpt5 = entries.find((e) => e.model === 'gpt-5');
    expect(gpt5?.tiers).toEqual({
      batch: { inputPerMillionUsd: 0.625, outputPerMillionUsd: 5 },
      flex: { inputPerMillionUsd: 0.625, outputPerMillionUsd: 5, cachedInputPerMillionUsd: 0.0625 },
    });
    expect(parsePriceOverlay(formatPriceOverlay(entries), 'f.json')).toEqual(entries);
  });
});
