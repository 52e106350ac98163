import type { TokenPrices } from '../spec/deployment.js';

/** Service tiers billed at other rates than the standard one. */
export const SERVICE_TIERS = ['batch', 'flex', 'priority'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/** Per-million-token rates of one tier. */
export interface TierPrices {
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
  cachedInputPerMillionUsd?: number;
}

/**
 * Rates for prompts above a size (Anthropic's 1M-token context beyond 200k, Gemini 2.5 Pro beyond
 * 200k, GPT-5.4 beyond 272k): the whole request is billed at these rates.
 */
export interface LongContextPrices extends TierPrices {
  aboveInputTokens: number;
  cacheWrite5mPerMillionUsd?: number;
  cacheWrite1hPerMillionUsd?: number;
}

/** One list price: per-million-token figures for one model at one provider, with where it was read. */
export interface PriceEntry extends TokenPrices {
  /** Canonical name, `provider/model` for models sold by several providers. */
  model: string;
  provider: string;
  /** Other names the same model is called by (the vendor's API ids). Matched case-insensitively. */
  aliases?: string[];
  source: string;
  /** Date the figure was read, YYYY-MM-DD. */
  retrieved: string;
  note?: string;
  /** Anthropic prompt-cache writes with the 5-minute and the 1-hour lifetime. */
  cacheWrite5mPerMillionUsd?: number;
  cacheWrite1hPerMillionUsd?: number;
  /** Tiers the source lists its own rates for; the others follow the provider's published rule. */
  tiers?: Partial<Record<ServiceTier, TierPrices>>;
  longContext?: LongContextPrices;
}
