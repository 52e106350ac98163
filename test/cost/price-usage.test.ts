import { describe, expect, it } from 'vitest';
import { priceUsage, type TokenUsage } from '../../src/cost/price-usage.js';
import type { TokenPrices } from '../../src/spec/deployment.js';

const gpt4o: TokenPrices = {
  inputPerMillionUsd: 2.5,
  outputPerMillionUsd: 10,
  cachedInputPerMillionUsd: 1.25,
};
const o3: TokenPrices = { inputPerMillionUsd: 2, outputPerMillionUsd: 8, cachedInputPerMillionUsd: 0.5 };
const withReasoningRate: TokenPrices = {
  inputPerMillionUsd: 1,
  outputPerMillionUsd: 4,
  reasoningPerMillionUsd: 10,
};
const noCachedRate: TokenPrices = { inputPerMillionUsd: 0.88, outputPerMillionUsd: 0.88 };

const usage = (
  inputTokens: number,
  outputTokens: number,
  cachedTokens = 0,
  reasoningTokens = 0,
): TokenUsage => ({
  inputTokens,
  outputTokens,
  cachedTokens,
  reasoningTokens,
});

describe('priceUsage', () => {
  // Each expected figure worked out by hand from the per-million prices.
  it.each([
    ['plain input and output', usage(1_000_000, 1_000_000), gpt4o, 12.5],
    ['1000 in, 500 out on gpt-4o', usage(1000, 500), gpt4o, 0.0025 + 0.005],
    [
      'cached tokens are part of input, billed at the cached rate',
      usage(1000, 0, 400),
      gpt4o,
      (600 * 2.5 + 400 * 1.25) / 1e6,
    ],
    ['all input cached', usage(2000, 100, 2000), gpt4o, (2000 * 1.25 + 100 * 10) / 1e6],
    [
      'reasoning is part of output, billed at output rate',
      usage(500, 3000, 0, 2500),
      o3,
      (500 * 2 + 3000 * 8) / 1e6,
    ],
    [
      'reasoning rate applies to reasoning tokens only',
      usage(0, 1000, 0, 600),
      withReasoningRate,
      (400 * 4 + 600 * 10) / 1e6,
    ],
    [
      'cached and reasoning together',
      usage(10_000, 2000, 8000, 1500),
      o3,
      (2000 * 2 + 8000 * 0.5 + 2000 * 8) / 1e6,
    ],
    ['no cached rate: cached billed as input', usage(1000, 1000, 500), noCachedRate, (2000 * 0.88) / 1e6],
    ['cached above input is capped at input', usage(100, 0, 500), gpt4o, (100 * 1.25) / 1e6],
    ['zero tokens cost zero', usage(0, 0), gpt4o, 0],
  ])('%s', (_name, u, prices, expected) => {
    const priced = priceUsage(u, prices);
    expect(priced.costUsd).not.toBeNull();
    expect(priced.costUsd).toBeCloseTo(expected, 12);
  });

  it('itemises the cost', () => {
    const priced = priceUsage(usage(10_000, 2000, 8000, 1500), o3);
    expect(priced.breakdown).toEqual({
      uncachedInputUsd: expect.closeTo(0.004, 12),
      cachedInputUsd: expect.closeTo(0.004, 12),
      outputUsd: expect.closeTo(0.016, 12),
      reasoningUsd: 0,
    });
  });

  it('an unknown price is null with a warning, never $0', () => {
    const priced = priceUsage(usage(1000, 1000), undefined);
    expect(priced.costUsd).toBeNull();
    expect(priced.warning).toMatch(/no input and output price/);
    expect(priceUsage(usage(1000, 1000), { inputPerMillionUsd: 1 }).costUsd).toBeNull();
  });

  it('missing usage is null with a warning', () => {
    const priced = priceUsage({ inputTokens: null, outputTokens: 10 }, gpt4o);
    expect(priced.costUsd).toBeNull();
    expect(priced.warning).toMatch(/no token usage/);
  });

  it('warns when cached tokens had no cached rate', () => {
    expect(priceUsage(usage(1000, 1000, 500), noCachedRate).warning).toMatch(/cached/);
  });
});
