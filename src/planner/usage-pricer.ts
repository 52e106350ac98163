import {
  billedCostUsd,
  resolveBilledRates,
  type BilledRates,
  type RateLookup,
} from '../cost/billed-rates.js';
import { BUILTIN_PRICES } from '../cost/builtin-prices.js';
import type { PriceEntry } from '../cost/price-entry.js';
import { ANY_PROVIDER, PriceIndex } from '../cost/price-index.js';
import type { TokenPricing } from './monthly-cost.js';
import { MODEL_NOT_REPORTED, type UsageRow } from './usage-row.js';

export type RowPrice = { costUsd: number; basis: string } | { costUsd: null; reason: string };

/** One way usage was priced: a model as the export names it, the price it resolved to, the tier. */
export interface PriceBasis {
  model: string;
  pricedAs: string;
  provider: string;
  /** `standard`, `batch (OpenAI Batch API: 50% of standard)`, `standard, long context (...)`. */
  terms: string;
  rates: BilledRates;
  source: string;
  retrieved: string;
  tokens: number;
  costUsd: number;
}

type Resolved = { entry: PriceEntry } | { reason: string };

/**
 * Prices usage rows as they were billed: the plan config's `apiPrices` first, then the built-in
 * catalogue; each row at its service tier, cache writes and long-context rates. A row it cannot
 * price gets a reason, never $0. Lookups and rates are resolved once per model and tier.
 */
export class UsagePricer {
  private readonly overrides: PriceIndex;
  private readonly catalogue: PriceIndex;
  private readonly resolved = new Map<string, Resolved>();
  private readonly rates = new Map<string, RateLookup>();
  private readonly used = new Map<string, PriceBasis>();

  constructor(
    overrides: Record<string, TokenPricing> = {},
    catalogue: readonly PriceEntry[] = BUILTIN_PRICES,
  ) {
    this.overrides = new PriceIndex(
      Object.entries(overrides).map(([model, p]) => ({
        model,
        provider: ANY_PROVIDER,
        inputPerMillionUsd: p.usdPerMillionInput,
        outputPerMillionUsd: p.usdPerMillionOutput,
        ...(p.usdPerMillionCachedInput !== undefined
          ? { cachedInputPerMillionUsd: p.usdPerMillionCachedInput }
          : {}),
        source: 'plan config: options.apiPrices',
        retrieved: '',
      })),
    );
    this.catalogue = new PriceIndex(catalogue);
  }

  private resolve(model: string, vendor: string | null): Resolved {
    const key = `${vendor ?? ''}\u0000${model}`;
    let hit = this.resolved.get(key);
    if (hit) return hit;
    if (model === MODEL_NOT_REPORTED) {
      hit = { reason: 'the export does not name the model (export it grouped by model)' };
    } else {
      const own = this.overrides.lookup(model);
      const listed = own ?? this.catalogue.lookup(model, vendor ?? undefined);
      if (listed && 'entry' in listed) hit = { entry: listed.entry };
      else if (listed)
        hit = {
          reason: `sold by ${listed.ambiguous.join(', ')} at different prices; name the provider in the model or add options.apiPrices`,
        };
      else hit = { reason: 'not in the price catalogue; add it to options.apiPrices' };
    }
    this.resolved.set(key, hit);
    return hit;
  }

  price(row: UsageRow): RowPrice {
    const found = this.resolve(row.model, row.vendor);
    if ('reason' in found) return { costUsd: null, reason: found.reason };
    const { entry } = found;
    // A single request shows its own prompt size; a bucket says (Anthropic) or is taken as standard.
    const longContext =
      row.longContext ??
      (row.requests === 1 && row.durationMs === 0 && entry.longContext !== undefined
        ? row.inputTokens > entry.longContext.aboveInputTokens
        : false);
    const termsKey = `${entry.provider}\u0000${entry.model}\u0000${row.vendor ?? ''}\u0000${row.serviceTier}\u0000${longContext}`;
    let lookup = this.rates.get(termsKey);
    if (!lookup) {
      lookup = resolveBilledRates(entry, {
        tier: row.serviceTier,
        longContext,
        ...(row.vendor ? { vendor: row.vendor } : {}),
      });
      this.rates.set(termsKey, lookup);
    }
    if (!lookup.rates) return { costUsd: null, reason: lookup.reason };
    const costUsd = billedCostUsd(row, lookup.rates);
    const basisKey = `${row.model}\u0000${termsKey}`;
    let basis = this.used.get(basisKey);
    if (!basis) {
      basis = {
        model: row.model,
        pricedAs: entry.model,
        provider: entry.provider,
        terms: lookup.basis,
        rates: lookup.rates,
        // The plan config's prices carry their own source, `plan config: options.apiPrices`.
        source: entry.source,
        retrieved: entry.retrieved,
        tokens: 0,
        costUsd: 0,
      };
      this.used.set(basisKey, basis);
    }
    basis.tokens += row.inputTokens + row.outputTokens;
    basis.costUsd += costUsd;
    return { costUsd, basis: basisKey };
  }

  /** Every price used, most spend first. */
  bases(): PriceBasis[] {
    return [...this.used.values()].sort((a, b) => b.costUsd - a.costUsd || b.tokens - a.tokens);
  }
}
