import type { PriceEntry, TierPrices } from './price-entry.js';

/** Every rate a usage row can be billed at, USD per million tokens. */
export interface BilledRates {
  inputPerMillionUsd: number;
  cachedInputPerMillionUsd: number;
  cacheWrite5mPerMillionUsd: number;
  cacheWrite1hPerMillionUsd: number;
  outputPerMillionUsd: number;
}

/** How a row was billed: its service tier as the vendor names it, and whether it was a long prompt. */
export interface BillingTerms {
  /** `standard`, `batch`, `flex`, `priority`, or whatever else the export says (`scale`). */
  tier: string;
  longContext: boolean;
  /** Who billed it (the vendor whose export it is); defaults to the price's provider. */
  vendor?: string;
}

export type RateLookup = { rates: BilledRates; basis: string } | { rates: null; reason: string };

/**
 * Where a list has no rate of its own for a tier, the vendor's published rule gives it. Batch is half
 * price at both (https://platform.openai.com/docs/guides/batch,
 * https://docs.anthropic.com/en/docs/build-with-claude/batch-processing); OpenAI bills flex
 * "at Batch API rates" (https://platform.openai.com/docs/guides/flex-processing).
 */
const HALF_PRICE_BATCH: Record<string, string> = {
  openai: 'OpenAI Batch API: 50% of standard',
  anthropic: 'Anthropic Message Batches: 50% of standard',
};
const FLEX_AT_BATCH_RATES = new Set(['openai']);

/**
 * Anthropic bills prompt-cache writes at 1.25× input (5-minute lifetime) and 2× input (1 hour),
 * reads at 0.1× (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching).
 */
export const ANTHROPIC_CACHE_WRITE_5M = 1.25;
export const ANTHROPIC_CACHE_WRITE_1H = 2;

const STANDARD = new Set(['standard', 'default', 'auto']);

/** Rates without the binary noise of multiplying decimals (0.55000000000000004 → 0.55). */
const clean = (n: number) => Number(n.toPrecision(12));

/**
 * The rates a row was billed at: the long-context rates when the prompt was long and the list has
 * them, then the tier's own listed rates, else the vendor's rule for that tier. A tier nobody lists
 * a rate or a rule for gives a reason instead of a guess.
 */
export function resolveBilledRates(entry: PriceEntry, terms: BillingTerms): RateLookup {
  if (entry.inputPerMillionUsd === undefined || entry.outputPerMillionUsd === undefined)
    return { rates: null, reason: `no input and output price for ${entry.model}` };
  const vendor = terms.vendor ?? entry.provider;
  const long = terms.longContext && entry.longContext ? entry.longContext : undefined;
  const writesAreAnthropic = vendor === 'anthropic' || entry.provider === 'anthropic';
  const input = long?.inputPerMillionUsd ?? entry.inputPerMillionUsd;
  const standard: BilledRates = {
    inputPerMillionUsd: input,
    cachedInputPerMillionUsd: long
      ? (long.cachedInputPerMillionUsd ?? input)
      : (entry.cachedInputPerMillionUsd ?? input),
    cacheWrite5mPerMillionUsd:
      (long ? long.cacheWrite5mPerMillionUsd : entry.cacheWrite5mPerMillionUsd) ??
      clean(input * (writesAreAnthropic ? ANTHROPIC_CACHE_WRITE_5M : 1)),
    cacheWrite1hPerMillionUsd:
      (long ? long.cacheWrite1hPerMillionUsd : entry.cacheWrite1hPerMillionUsd) ??
      clean(input * (writesAreAnthropic ? ANTHROPIC_CACHE_WRITE_1H : 1)),
    outputPerMillionUsd: long?.outputPerMillionUsd ?? entry.outputPerMillionUsd,
  };
  const context = long
    ? `long context (over ${long.aboveInputTokens.toLocaleString('en-US')} input tokens)`
    : terms.longContext
      ? 'long context, no separate rate listed'
      : '';
  const label = (tier: string) => [tier, context].filter(Boolean).join(', ');

  const tier = terms.tier.toLowerCase();
  if (STANDARD.has(tier)) return { rates: standard, basis: label('standard') };

  const listed = (t: 'batch' | 'flex' | 'priority'): { rates: BilledRates; basis: string } | undefined => {
    const own = long ? undefined : entry.tiers?.[t];
    return own ? { rates: fromTier(standard, own), basis: label(`${t} (listed rate)`) } : undefined;
  };
  const halfPrice = (why: string): RateLookup => ({ rates: scale(standard, 0.5), basis: label(why) });

  if (tier === 'batch') {
    const own = listed('batch');
    if (own) return own;
    if (HALF_PRICE_BATCH[vendor]) return halfPrice(`batch (${HALF_PRICE_BATCH[vendor]})`);
    return { rates: null, reason: `no batch rate for ${entry.model} at ${vendor}` };
  }
  if (tier === 'flex') {
    const own = listed('flex');
    if (own) return own;
    const batch = listed('batch');
    if (FLEX_AT_BATCH_RATES.has(vendor) && batch)
      return { rates: batch.rates, basis: label('flex (billed at the listed batch rate)') };
    if (FLEX_AT_BATCH_RATES.has(vendor))
      return halfPrice('flex (billed at Batch API rates: 50% of standard)');
    return { rates: null, reason: `no flex rate for ${entry.model} at ${vendor}` };
  }
  if (tier === 'priority') {
    const own = listed('priority');
    if (own) return own;
    return {
      rates: null,
      reason: `no priority-tier rate listed for ${entry.model}; give it in the plan config's apiPrices`,
    };
  }
  return {
    rates: null,
    reason: `service tier '${terms.tier}' has no list price (committed capacity is billed by contract)`,
  };
}

function fromTier(standard: BilledRates, t: TierPrices): BilledRates {
  // A tier listed without a cached or cache-write rate keeps the standard ratio to input.
  const ratio = t.inputPerMillionUsd / standard.inputPerMillionUsd;
  return {
    inputPerMillionUsd: t.inputPerMillionUsd,
    cachedInputPerMillionUsd: t.cachedInputPerMillionUsd ?? clean(standard.cachedInputPerMillionUsd * ratio),
    cacheWrite5mPerMillionUsd: clean(standard.cacheWrite5mPerMillionUsd * ratio),
    cacheWrite1hPerMillionUsd: clean(standard.cacheWrite1hPerMillionUsd * ratio),
    outputPerMillionUsd: t.outputPerMillionUsd,
  };
}

function scale(r: BilledRates, f: number): BilledRates {
  return {
    inputPerMillionUsd: clean(r.inputPerMillionUsd * f),
    cachedInputPerMillionUsd: clean(r.cachedInputPerMillionUsd * f),
    cacheWrite5mPerMillionUsd: clean(r.cacheWrite5mPerMillionUsd * f),
    cacheWrite1hPerMillionUsd: clean(r.cacheWrite1hPerMillionUsd * f),
    outputPerMillionUsd: clean(r.outputPerMillionUsd * f),
  };
}

/** Tokens of one usage row by how they are billed; cached and cache writes are parts of input. */
export interface BilledTokens {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  outputTokens: number;
}

/** uncached × input + cache reads × cached + writes × write rates + output × output, per million. */
export function billedCostUsd(t: BilledTokens, r: BilledRates): number {
  const uncached = Math.max(
    0,
    t.inputTokens - t.cachedInputTokens - t.cacheWrite5mTokens - t.cacheWrite1hTokens,
  );
  return (
    (uncached * r.inputPerMillionUsd +
      t.cachedInputTokens * r.cachedInputPerMillionUsd +
      t.cacheWrite5mTokens * r.cacheWrite5mPerMillionUsd +
      t.cacheWrite1hTokens * r.cacheWrite1hPerMillionUsd +
      t.outputTokens * r.outputPerMillionUsd) /
    1e6
  );
}
