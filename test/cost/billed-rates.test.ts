import { describe, expect, it } from 'vitest';
import { BUILTIN_PRICES } from '../../src/cost/builtin-prices.js';
import { billedCostUsd, resolveBilledRates, type BillingTerms } from '../../src/cost/billed-rates.js';
import type { PriceEntry } from '../../src/cost/price-entry.js';

const entry = (model: string): PriceEntry => {
  const e = BUILTIN_PRICES.find((p) => p.model === model);
  if (!e) throw new Error(model);
  return e;
};
const terms = (tier: string, longContext = false, vendor?: string): BillingTerms =>
  vendor ? { tier, longContext, vendor } : { tier, longContext };
const million = {
  inputTokens: 1e6,
  cachedInputTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  outputTokens: 1e6,
};

function cost(model: string, t: BillingTerms, tokens = million): number | null {
  const r = resolveBilledRates(entry(model), t);
  return r.rates ? billedCostUsd(tokens, r.rates) : null;
}

describe('usage priced as billed', () => {
  it('OpenAI batch rows at the listed batch rates: half of standard', () => {
    expect(cost('gpt-4o-2024-08-06', terms('standard'))).toBeCloseTo(12.5, 9);
    expect(cost('gpt-4o-2024-08-06', terms('batch'))).toBeCloseTo(6.25, 9);
  });

  it('OpenAI flex at its listed rate, else at the Batch API rate', () => {
    // o3: $2 / $8 standard; flex listed at $1 / $4
    expect(cost('o3', terms('flex'))).toBeCloseTo(5, 9);
    // gpt-4o lists no flex rate but a batch one: flex is billed at batch rates
    const r = resolveBilledRates(entry('gpt-4o'), terms('flex'));
    expect(r.rates && billedCostUsd(million, r.rates)).toBeCloseTo(6.25, 9);
    expect(r.rates && r.basis).toMatch(/batch/);
  });

  it('priority at its listed rate; a tier with no rate is a reason, never a guess', () => {
    // gpt-4o priority: $4.25 / $17; its dated snapshot at the same standard rates is billed the same
    expect(cost('gpt-4o', terms('priority'))).toBeCloseTo(21.25, 9);
    expect(cost('gpt-4o-2024-08-06', terms('priority'))).toBeCloseTo(21.25, 9);
    const none = resolveBilledRates(entry('gpt-4-turbo'), terms('priority'));
    expect(none.rates).toBeNull();
    if (!none.rates) expect(none.reason).toMatch(/no priority-tier rate/);
    const scale = resolveBilledRates(entry('gpt-4o'), terms('scale'));
    expect(scale.rates).toBeNull();
  });

  it('Anthropic cache writes: 5-minute at 1.25× input, 1-hour at 2×, reads at 0.1×', () => {
    const tokens = {
      inputTokens: 4e6,
      cachedInputTokens: 1e6,
      cacheWrite5mTokens: 1e6,
      cacheWrite1hTokens: 1e6,
      outputTokens: 0,
    };
    // 1M uncached × $3 + 1M reads × $0.30 + 1M × $3.75 + 1M × $6 = $13.05
    expect(cost('claude-sonnet-4-5', terms('standard'), tokens)).toBeCloseTo(13.05, 9);
  });

  it('Anthropic batch is half price, cache writes included', () => {
    expect(cost('claude-sonnet-4-5-20250929', terms('batch', false, 'anthropic'))).toBeCloseTo(9, 9);
  });

  it('long-context rows at the long-context rates: Sonnet 4.5 over 200k input tokens is $6 / $22.50', () => {
    expect(cost('claude-sonnet-4-5', terms('standard', true))).toBeCloseTo(28.5, 9);
    const long = resolveBilledRates(entry('claude-sonnet-4-5'), terms('standard', true));
    expect(long.rates && long.basis).toMatch(/long context \(over 200,000 input tokens\)/);
    // a model with no separate long-context rate keeps its standard one, and says so
    const plain = resolveBilledRates(entry('claude-opus-4-6'), terms('standard', true));
    expect(plain.rates && plain.basis).toMatch(/no separate rate listed/);
  });

  it('cache writes of a model with no listed write rate follow Anthropic’s multipliers', () => {
    const bare: PriceEntry = {
      model: 'claude-x',
      provider: 'anthropic',
      inputPerMillionUsd: 2,
      outputPerMillionUsd: 10,
      source: 'test',
      retrieved: '2026-12-02',
    };
    const r = resolveBilledRates(bare, terms('standard'));
    expect(r.rates).toMatchObject({ cacheWrite5mPerMillionUsd: 2.5, cacheWrite1hPerMillionUsd: 4 });
  });
});
