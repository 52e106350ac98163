import { isAbsolute, resolve } from 'node:path';
import type { CostConfig, PriceOverride } from '../config/schema/cost-schema.js';
import type { Deployment, TokenPrices } from '../spec/deployment.js';
import { BUILTIN_PRICES, type PriceEntry } from './builtin-prices.js';
import { normalizeModelName, providerForPrefix } from './normalize-model-name.js';
import { ANY_PROVIDER, PriceIndex } from './price-index.js';
import { readPriceOverlay } from './price-overlay.js';

/** Where a resolved price came from, most authoritative first. */
export type PriceOrigin = 'deployment' | 'config' | 'file' | 'catalogue';

export type PriceLookup =
  | { found: true; prices: TokenPrices; entry: PriceEntry; origin: PriceOrigin }
  | { found: false; reason: string };

export interface PriceBookInit {
  catalogue?: readonly PriceEntry[];
  /** Imported price files, lowest precedence first. */
  files?: ReadonlyArray<{ path: string; entries: readonly PriceEntry[] }>;
  /** `cost.prices`: model name (optionally `provider/` prefixed) → prices. */
  overrides?: Readonly<Record<string, PriceOverride>>;
}

const ROUTERS = new Set(['openrouter']);

interface Layer {
  origin: PriceOrigin;
  index: PriceIndex;
}

function overrideEntries(overrides: Readonly<Record<string, PriceOverride>>): PriceEntry[] {
  return Object.entries(overrides).map(([model, o]) => {
    const { source, retrieved, ...prices } = o;
    return {
      ...prices,
      model,
      provider: normalizeModelName(model).provider ?? ANY_PROVIDER,
      source: source ?? 'config: cost.prices',
      retrieved: retrieved ?? '',
    };
  });
}

/**
 * Every price the gateway knows, layered: a deployment's own `prices` win over `cost.prices`, which
 * win over imported price files (later files first), which win over the built-in catalogue.
 * Built once per config load; lookups are map reads.
 */
export class PriceBook {
  private readonly layers: Layer[];

  constructor(init: PriceBookInit = {}) {
    this.layers = [];
    if (init.overrides && Object.keys(init.overrides).length)
      this.layers.push({ origin: 'config', index: new PriceIndex(overrideEntries(init.overrides)) });
    for (const file of [...(init.files ?? [])].reverse())
      this.layers.push({ origin: 'file', index: new PriceIndex(file.entries) });
    this.layers.push({ origin: 'catalogue', index: new PriceIndex(init.catalogue ?? BUILTIN_PRICES) });
  }

  /** Reads `cost.priceFiles` (relative to `baseDir`) once, at start-up. */
  static fromConfig(cost: CostConfig, baseDir: string): PriceBook {
    const files = cost.priceFiles.map((p) => {
      const path = isAbsolute(p) ? p : resolve(baseDir, p);
      return { path, entries: readPriceOverlay(path) };
    });
    return new PriceBook({ files, overrides: cost.prices });
  }

  /** The price of a model, optionally as sold by one provider (`together`, `groq`, ...). */
  lookup(model: string, provider?: string): PriceLookup {
    let ambiguous: string[] | undefined;
    for (const layer of this.layers) {
      const hit = layer.index.lookup(model, provider);
      if (!hit) continue;
      if ('entry' in hit)
        return { found: true, prices: pricesOf(hit.entry), entry: hit.entry, origin: layer.origin };
      ambiguous ??= hit.ambiguous;
    }
    if (ambiguous)
      return {
        found: false,
        reason: `'${model}' is sold by ${ambiguous.join(', ')} at different prices; name the provider (e.g. ${ambiguous[0]}/${model}) or set cost.prices`,
      };
    return {
      found: false,
      reason: provider
        ? `no price for '${model}' at provider '${provider}'; set deployment prices or cost.prices`
        : `no price for '${model}'; set cost.prices or import a price file`,
    };
  }

  /** Every known price for a model, at every provider and layer, most authoritative first. */
  entriesFor(model: string): Array<{ entry: PriceEntry; origin: PriceOrigin }> {
    return this.layers.flatMap((layer) =>
      layer.index.entriesFor(model).map((entry) => ({ entry, origin: layer.origin })),
    );
  }

  /** Every price in the book, most authoritative layer first. */
  allEntries(): Array<{ entry: PriceEntry; origin: PriceOrigin }> {
    return this.layers.flatMap((layer) =>
      layer.index.entries.map((entry) => ({ entry, origin: layer.origin })),
    );
  }

  /**
   * The token price of a call to a deployment. Its own `prices` win field by field over the
   * catalogue; its vendor picks whose list price applies.
   */
  forDeployment(deployment: Deployment): PriceLookup {
    const provider =
      deployment.provider === 'anthropic'
        ? 'anthropic'
        : (providerForPrefix(deployment.vendor) ?? deployment.vendor);
    let listed = this.lookup(deployment.model, provider);
    // OpenRouter passes through the underlying provider's list price; its model ids name that
    // provider (`openai/gpt-4o`). https://openrouter.ai/docs/faq
    if (!listed.found && ROUTERS.has(deployment.vendor)) listed = this.lookup(deployment.model);
    const own = deployment.prices;
    if (!own || Object.values(own).every((v) => v === undefined)) return listed;
    const prices: TokenPrices = { ...(listed.found ? listed.prices : {}), ...definedOnly(own) };
    const entry: PriceEntry = {
      ...(listed.found ? listed.entry : {}),
      ...prices,
      model: deployment.model,
      provider,
      source: `config: deployments[${deployment.id}].prices`,
      retrieved: '',
    };
    return { found: true, prices, entry, origin: 'deployment' };
  }
}

function definedOnly(prices: TokenPrices): TokenPrices {
  const out: TokenPrices = {};
  if (prices.inputPerMillionUsd !== undefined) out.inputPerMillionUsd = prices.inputPerMillionUsd;
  if (prices.outputPerMillionUsd !== undefined) out.outputPerMillionUsd = prices.outputPerMillionUsd;
  if (prices.cachedInputPerMillionUsd !== undefined)
    out.cachedInputPerMillionUsd = prices.cachedInputPerMillionUsd;
  if (prices.reasoningPerMillionUsd !== undefined) out.reasoningPerMillionUsd = prices.reasoningPerMillionUsd;
  return out;
}

function pricesOf(entry: PriceEntry): TokenPrices {
  return definedOnly(entry);
}
