import type { GatewayConfig } from '../../config/gateway-config.js';
import { PriceBook, type PriceLookup } from '../../cost/price-book.js';
import { priceUsage } from '../../cost/price-usage.js';
import type { Usage } from '../../spec/chat.js';

export interface CallUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens?: number | null;
  reasoningTokens?: number | null;
}

/**
 * A completion's usage as a pricer reads it. Reasoning tokens are carried so that a model with a
 * reasoning rate is priced the same whether it is under test or judging.
 */
export function callUsageOf(usage: Usage | null | undefined): Required<CallUsage> {
  return {
    inputTokens: usage?.prompt_tokens ?? null,
    outputTokens: usage?.completion_tokens ?? null,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? null,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? null,
  };
}

export interface CallToPrice {
  /** The model name the run asked the gateway for. */
  requestedModel: string;
  /** The model name in the response. */
  servedModel: string | null;
  /** The deployment that served it (x-switchyard-route), when the gateway said. */
  deploymentId: string | null;
  usage: CallUsage;
}

export interface PricedCall {
  /** null when unknown: never 0 for a call whose price we do not know. */
  costUsd: number | null;
  /** Where the price came from (a URL and the date it was read), or why it is unknown. */
  source: string;
  /** Set for self-hosted deployments: the gateway's own record carries the GPU-time cost. */
  fromRecord?: boolean;
}

export interface CallPricer {
  price(call: CallToPrice): PricedCall;
}

function describe(lookup: PriceLookup & { found: true }): string {
  const e = lookup.entry;
  return e.retrieved ? `${e.source}, read ${e.retrieved}` : e.source;
}

function fromLookup(lookup: PriceLookup, usage: CallUsage, what: string): PricedCall {
  if (!lookup.found) return { costUsd: null, source: `${what}: ${lookup.reason}` };
  const priced = priceUsage(usage, lookup.prices);
  if (priced.costUsd === null) return { costUsd: null, source: `${what}: ${priced.warning ?? 'unknown'}` };
  return { costUsd: priced.costUsd, source: `${what}: ${describe(lookup)}` };
}

/**
 * Prices calls to an in-process gateway with its own configuration: the serving deployment's
 * prices, then `cost.prices` and price files, then the catalogue (PriceBook.forDeployment). A
 * self-hosted deployment is priced by GPU time, which only the gateway sees; its calls are left
 * for the gateway's records to price.
 */
export function configPricer(config: GatewayConfig, baseDir: string): CallPricer {
  const book = PriceBook.fromConfig(config.cost, baseDir);
  const catalogue = cataloguePricer(book);
  return {
    price(call) {
      const deployment = call.deploymentId ? config.deployments.get(call.deploymentId) : undefined;
      if (!deployment) return catalogue.price(call);
      if (deployment.selfHosted)
        return {
          costUsd: null,
          source: `deployment ${deployment.id}: self-hosted, priced by GPU time in the gateway's record`,
          fromRecord: true,
        };
      return fromLookup(book.forDeployment(deployment), call.usage, `deployment ${deployment.id}`);
    },
  };
}

/**
 * Prices calls to a gateway we only know by URL: by model name in the price book (the served
 * model's name first, then the name asked for).
 */
export function cataloguePricer(book: PriceBook = new PriceBook()): CallPricer {
  return {
    price(call) {
      const names = [call.servedModel, call.requestedModel].filter((n): n is string => !!n);
      let last: PriceLookup = { found: false, reason: `no price for '${call.requestedModel}'` };
      for (const name of names) {
        last = book.lookup(name);
        if (last.found) return fromLookup(last, call.usage, `model ${name}`);
      }
      return fromLookup(last, call.usage, `model ${call.requestedModel}`);
    },
  };
}
