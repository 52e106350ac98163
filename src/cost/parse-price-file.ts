import type { PriceEntry } from './builtin-prices.js';
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
    entries.push(entry);
  }
  return { format: 'litellm', entries, skipped };
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
