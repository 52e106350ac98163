import type { LongContextPrices, PriceEntry, ServiceTier, TierPrices } from './price-entry.js';
import { providerForPrefix } from './normalize-model-name.js';

export interface SkippedPrice {
  model: string;
  reason: string;
}

export interface ParsedPriceFile {
  format: 'litellm' | 'openrouter';
  entries: PriceEntry[];
  skipped: SkippedPrice[];
}

export interface ParsePriceFileOptions {
  /** Recorded as each entry's source; the file name or URL it came from. */
  source: string;
  /** Recorded as each entry's retrieval date, YYYY-MM-DD. */
  retrieved: string;
}

// LiteLLM lists these runtimes at $0 per token: they run on someone's own GPUs, which are priced by
// infrastructure (deployments[].selfHosted), not by tokens.
const SELF_HOSTED_RUNTIMES = new Set([
  'ollama',
  'ollama_chat',
  'vllm',
  'hosted_vllm',
  'lm_studio',
  'llamafile',
  'xinference',
  'triton',
]);
const CHAT_MODES = new Set(['chat', 'completion', 'responses']);

/** Per-token USD to per-million, rounded off the binary noise (0.39999999999999997 → 0.4). */
function perMillion(perToken: number): number {
  return Number((perToken * 1_000_000).toPrecision(12));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a price list in LiteLLM's `model_prices_and_context_window.json` shape (model → spec with
 * `input_cost_per_token`...) or OpenRouter's `GET /api/v1/models` shape (`data[].pricing` with
 * per-token strings), and returns per-million entries plus what was left out and why.
 */
export function parsePriceFile(
  text: string,
  options: ParsePriceFileOptions = {
    source: 'imported price file',
    retrieved: new Date().toISOString().slice(0, 10),
  },
): ParsedPriceFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (isRecord(raw) && Array.isArray(raw.data)) return parseOpenRouter(raw.data, options);
  if (isRecord(raw)) return parseLiteLlm(raw, options);
  throw new Error('neither a LiteLLM price map nor an OpenRouter models list');
}

function parseLiteLlm(raw: Record<string, unknown>, options: ParsePriceFileOptions): ParsedPriceFile {
  const entries: PriceEntry[] = [];
  const skipped: SkippedPrice[] = [];
  for (const [model, spec] of Object.entries(raw)) {
    if (model === 'sample_spec') continue;
    if (!isRecord(spec)) {
      skipped.push({ model, reason: 'not an object' });
      continue;
    }
    const mode = typeof spec.mode === 'string' ? spec.mode : 'chat';
    if (!CHAT_MODES.has(mode)) {
      skipped.push({ model, reason: `not a text model (mode ${mode})` });
      continue;
    }
    const litellmProvider = typeof spec.litellm_provider === 'string' ? spec.litellm_provider : '';
    if (SELF_HOSTED_RUNTIMES.has(litellmProvider)) {
      skipped.push({ model, reason: `self-hosted runtime (${litellmProvider}): priced by infrastructure` });
      continue;
    }
    const input = spec.input_cost_per_token;
    const output = spec.output_cost_per_token;
    if (typeof input !== 'number' || typeof output !== 'number') {
      skipped.push({ model, reason: 'no per-token input and output price' });
      continue;
    }
    if (input === 0 && output === 0) {
      skipped.push({ model, reason: 'listed at $0 (free tier or unknown); set cost.prices for a real zero' });
      continue;
    }
    const entry: PriceEntry = {
      model,
      provider: providerForPrefix(litellmProvider) ?? (litellmProvider || 'unknown'),
      inputPerMillionUsd: perMillion(input),
      outputPerMillionUsd: perMillion(output),
      source: options.source,
      retrieved: options.retrieved,
    };
    if (typeof spec.cache_read_input_token_cost === 'number')
      entry.cachedInputPerMillionUsd = perMillion(spec.cache_read_input_token_cost);
    if (typeof spec.output_cost_per_reasoning_token === 'number')
      entry.reasoningPerMillionUsd = perMillion(spec.output_cost_per_reasoning_token);
    Object.assign(entry, liteLlmBillingTerms(spec));
    entries.push(entry);
  }
  return { format: 'litellm', entries, skipped };
}

function rateOf(spec: Record<string, unknown>, key: string): number | undefined {
  const v = spec[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? perMillion(v) : undefined;
}

// LiteLLM names a tier's rates with a suffix: input_cost_per_token_batches, ..._flex, ..._priority.
const TIER_SUFFIXES: Record<ServiceTier, string> = {
  batch: '_batches',
  flex: '_flex',
  priority: '_priority',
};

/**
 * The rates beside the standard ones in a LiteLLM spec: prompt-cache writes (5-minute
 * `cache_creation_input_token_cost`, 1-hour `..._above_1hr`), service tiers, and the rates of prompts
 * above a size (`input_cost_per_token_above_200k_tokens`).
 */
export function liteLlmBillingTerms(spec: Record<string, unknown>): Partial<PriceEntry> {
  const out: Partial<PriceEntry> = {};
  const write5m = rateOf(spec, 'cache_creation_input_token_cost');
  const write1h = rateOf(spec, 'cache_creation_input_token_cost_above_1hr');
  if (write5m !== undefined) out.cacheWrite5mPerMillionUsd = write5m;
  if (write1h !== undefined) out.cacheWrite1hPerMillionUsd = write1h;
  const tiers: Partial<Record<ServiceTier, TierPrices>> = {};
  for (const [tier, suffix] of Object.entries(TIER_SUFFIXES) as Array<[ServiceTier, string]>) {
    const input = rateOf(spec, `input_cost_per_token${suffix}`);
    const output = rateOf(spec, `output_cost_per_token${suffix}`);
    if (input === undefined || output === undefined) continue;
    const t: TierPrices = { inputPerMillionUsd: input, outputPerMillionUsd: output };
    const cached = rateOf(spec, `cache_read_input_token_cost${suffix}`);
    if (cached !== undefined) t.cachedInputPerMillionUsd = cached;
    tiers[tier] = t;
  }
  if (Object.keys(tiers).length) out.tiers = tiers;
  const threshold = Object.keys(spec)
    .map((k) => /^input_cost_per_token_above_(\d+)k_tokens$/.exec(k)?.[1])
    .find((k) => k !== undefined);
  if (threshold !== undefined) {
    const above = `_above_${threshold}k_tokens`;
    const input = rateOf(spec, `input_cost_per_token${above}`);
    const output = rateOf(spec, `output_cost_per_token${above}`);
    if (input !== undefined && output !== undefined) {
      const long: LongContextPrices = {
        aboveInputTokens: Number(threshold) * 1000,
        inputPerMillionUsd: input,
        outputPerMillionUsd: output,
      };
      const cached = rateOf(spec, `cache_read_input_token_cost${above}`);
      const lw5m = rateOf(spec, `cache_creation_input_token_cost${above}`);
      const lw1h = rateOf(spec, `cache_creation_input_token_cost_above_1hr${above}`);
      if (cached !== undefined) long.cachedInputPerMillionUsd = cached;
      if (lw5m !== undefined) long.cacheWrite5mPerMillionUsd = lw5m;
      if (lw1h !== undefined) long.cacheWrite1hPerMillionUsd = lw1h;
      out.longContext = long;
    }
  }
  return out;
}

function parseOpenRouter(data: unknown[], options: ParsePriceFileOptions): ParsedPriceFile {
  const entries: PriceEntry[] = [];
  const skipped: SkippedPrice[] = [];
  data.forEach((item, i) => {
    const model = isRecord(item) && typeof item.id === 'string' ? item.id : `data[${i}]`;
    const pricing = isRecord(item) ? item.pricing : undefined;
    if (!isRecord(pricing)) {
      skipped.push({ model, reason: 'no pricing' });
      return;
    }
    const input = Number(pricing.prompt);
    const output = Number(pricing.completion);
    // OpenRouter lists routers such as openrouter/auto at -1: the price depends on the model chosen.
    if (!Number.isFinite(input) || !Number.isFinite(output) || input < 0 || output < 0) {
      skipped.push({ model, reason: 'no fixed per-token price' });
      return;
    }
    if (input === 0 && output === 0) {
      skipped.push({ model, reason: 'listed at $0 (free variant); set cost.prices for a real zero' });
      return;
    }
    const entry: PriceEntry = {
      model,
      provider: 'openrouter',
      inputPerMillionUsd: perMillion(input),
      outputPerMillionUsd: perMillion(output),
      source: options.source,
      retrieved: options.retrieved,
    };
    const cacheRead = Number(pricing.input_cache_read);
    if (pricing.input_cache_read !== undefined && Number.isFinite(cacheRead) && cacheRead >= 0)
      entry.cachedInputPerMillionUsd = perMillion(cacheRead);
    const reasoning = Number(pricing.internal_reasoning);
    if (pricing.internal_reasoning !== undefined && Number.isFinite(reasoning) && reasoning > 0)
      entry.reasoningPerMillionUsd = perMillion(reasoning);
    entries.push(entry);
  });
  return { format: 'openrouter', entries, skipped };
}
