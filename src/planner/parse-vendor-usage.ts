import { emptyRow, MODEL_NOT_REPORTED, type UsageRow } from './usage-row.js';
import { readFlag, readText, readTime, readTokenCount } from './usage-values.js';

const DAY_MS = 86_400_000;

interface Bucket {
  startMs: number;
  endMs: number | null;
}

function bucketRow(bucket: Bucket): UsageRow {
  const row = emptyRow();
  row.startMs = bucket.startMs;
  row.durationMs = bucket.endMs !== null ? Math.max(0, bucket.endMs - bucket.startMs) : DAY_MS;
  return row;
}

/**
 * OpenAI names the standard tier `default` (or `auto`, which bills as default); batch usage is a
 * separate group (`batch: true`) billed at half price.
 * https://platform.openai.com/docs/api-reference/usage/completions_object
 */
function openAiTier(r: Record<string, unknown>): string {
  if (readFlag(r.batch) === true) return 'batch';
  const tier = readText(r.service_tier)?.toLowerCase();
  return !tier || tier === 'default' || tier === 'auto' ? 'standard' : tier;
}

/**
 * One result of OpenAI's organization usage API (`GET /v1/organization/usage/completions`):
 * `input_tokens` includes `input_cached_tokens`. The same columns appear in the usage CSV export;
 * the legacy export's `n_context_tokens_total` / `n_generated_tokens_total` are read too. Without
 * `group_by=model` the API reports `model: null`: those tokens are kept, but cannot be priced.
 * https://platform.openai.com/docs/api-reference/usage/completions
 */
export function parseOpenAiResult(r: Record<string, unknown>, bucket: Bucket): UsageRow {
  const row = bucketRow(bucket);
  row.vendor = 'openai';
  row.model = readText(r.model) ?? readText(r.snapshot_id) ?? MODEL_NOT_REPORTED;
  row.project = readText(r.project_id);
  row.apiKey = readText(r.api_key_id);
  const user = readText(r.user_id);
  if (user) row.tags.user = user;
  row.serviceTier = openAiTier(r);
  const input = readTokenCount(r.input_tokens ?? r.n_context_tokens_total, 'input_tokens');
  const output = readTokenCount(r.output_tokens ?? r.n_generated_tokens_total, 'output_tokens');
  if (input === null || output === null) throw new Error('input_tokens and output_tokens are required');
  row.inputTokens = input;
  row.outputTokens = output;
  row.cachedInputTokens = readTokenCount(r.input_cached_tokens, 'input_cached_tokens') ?? 0;
  row.requests = readTokenCount(r.num_model_requests ?? r.n_requests, 'num_model_requests') ?? 0;
  return row;
}

/** The bucket columns of an OpenAI CSV export (usage or costs): epoch seconds, or ISO beside them. */
export function openAiCsvBucket(r: Record<string, string>): Bucket {
  const start = r.start_time || r.start_time_iso || r.timestamp || r.aggregation_timestamp || r.date;
  const end = r.end_time || r.end_time_iso;
  return { startMs: readTime(start, 'start_time'), endMs: end ? readTime(end, 'end_time') : null };
}

const USAGE_COLUMNS = ['model', 'input_tokens', 'output_tokens', 'num_model_requests', 'project_id'];

/**
 * A row of OpenAI's usage CSV export: the bucket's columns flattened next to the result's. The
 * dashboard writes a day with no usage as its times and nothing else; that is an empty bucket.
 */
export function parseOpenAiCsvRow(r: Record<string, string>): { row: UsageRow } | { empty: Bucket } {
  const bucket = openAiCsvBucket(r);
  if (USAGE_COLUMNS.every((c) => !readText(r[c])) && !readText(r.n_context_tokens_total))
    return { empty: bucket };
  return { row: parseOpenAiResult(r, bucket) };
}

/**
 * Anthropic's tiers: `standard`, `batch` (half price), `priority` and `priority_on_demand` (Priority
 * Tier, billed by commitment), `flex`/`flex_discount`.
 * https://docs.anthropic.com/en/api/admin-api/usage-cost/get-messages-usage-report
 */
function anthropicTier(r: Record<string, unknown>): string {
  const tier = readText(r.service_tier)?.toLowerCase();
  if (!tier) return 'standard';
  if (tier === 'priority_on_demand') return 'priority';
  if (tier === 'flex_discount') return 'flex';
  return tier;
}

/**
 * One result of Anthropic's usage report (`GET /v1/organizations/usage_report/messages`). Input is
 * uncached + cache writes (5m and 1h, billed at 1.25× and 2× input) + cache reads; `context_window:
 * 200k-1M` marks requests billed at the long-context rates.
 * https://docs.anthropic.com/en/api/admin-api/usage-cost/get-messages-usage-report
 */
export function parseAnthropicResult(r: Record<string, unknown>, bucket: Bucket): UsageRow {
  const row = bucketRow(bucket);
  row.vendor = 'anthropic';
  row.model = readText(r.model) ?? MODEL_NOT_REPORTED;
  row.project = readText(r.workspace_id);
  row.apiKey = readText(r.api_key_id);
  row.serviceTier = anthropicTier(r);
  const context = readText(r.context_window);
  row.longContext = context === null ? null : context !== '0-200k';
  const uncached = readTokenCount(r.uncached_input_tokens, 'uncached_input_tokens');
  const output = readTokenCount(r.output_tokens, 'output_tokens');
  if (uncached === null || output === null)
    throw new Error('uncached_input_tokens and output_tokens are required');
  const creation = (r.cache_creation ?? {}) as Record<string, unknown>;
  row.cacheWrite5mTokens =
    readTokenCount(creation.ephemeral_5m_input_tokens, 'cache_creation.ephemeral_5m_input_tokens') ?? 0;
  row.cacheWrite1hTokens =
    readTokenCount(creation.ephemeral_1h_input_tokens, 'cache_creation.ephemeral_1h_input_tokens') ?? 0;
  const reads = readTokenCount(r.cache_read_input_tokens, 'cache_read_input_tokens') ?? 0;
  row.inputTokens = uncached + row.cacheWrite5mTokens + row.cacheWrite1hTokens + reads;
  row.cachedInputTokens = reads;
  row.outputTokens = output;
  // The report counts tokens; newer reports add `requests`.
  row.requests = readTokenCount(r.requests, 'requests') ?? 0;
  return row;
}
