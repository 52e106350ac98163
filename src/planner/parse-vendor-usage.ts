import { emptyRow, type UsageRow } from './usage-row.js';
import { readCount, readText, readTime } from './usage-values.js';

/**
 * One result of OpenAI's organization usage API (`GET /v1/organization/usage/completions`):
 * `input_tokens` includes `input_cached_tokens`. The same columns appear in the usage CSV export;
 * the legacy export's `n_context_tokens_total` / `n_generated_tokens_total` are read too.
 * https://platform.openai.com/docs/api-reference/usage/completions
 */
export function parseOpenAiResult(
  r: Record<string, unknown>,
  bucket: { startMs: number; endMs: number | null },
): UsageRow {
  const row = emptyRow();
  row.startMs = bucket.startMs;
  row.durationMs = bucket.endMs !== null ? Math.max(0, bucket.endMs - bucket.startMs) : 86_400_000;
  row.model = readText(r.model) ?? readText(r.snapshot_id) ?? 'unknown';
  row.project = readText(r.project_id);
  row.apiKey = readText(r.api_key_id);
  const user = readText(r.user_id);
  if (user) row.tags.user = user;
  const batch = readText(r.batch);
  if (batch) row.tags.batch = batch;
  const input = readCount(r.input_tokens ?? r.n_context_tokens_total, 'input_tokens');
  const output = readCount(r.output_tokens ?? r.n_generated_tokens_total, 'output_tokens');
  if (input === null || output === null) throw new Error('input_tokens and output_tokens are required');
  row.inputTokens = input;
  row.outputTokens = output;
  row.cachedInputTokens = readCount(r.input_cached_tokens, 'input_cached_tokens') ?? 0;
  if (row.cachedInputTokens > row.inputTokens) throw new Error('input_cached_tokens exceeds input_tokens');
  row.requests = readCount(r.num_model_requests ?? r.n_requests, 'num_model_requests') ?? 0;
  return row;
}

/** A row of OpenAI's usage CSV export: the bucket's columns flattened next to the result's. */
export function parseOpenAiCsvRow(r: Record<string, string>): UsageRow {
  const start = r.start_time ?? r.start_time_iso ?? r.timestamp ?? r.aggregation_timestamp ?? r.date;
  const end = r.end_time ?? r.end_time_iso;
  return parseOpenAiResult(r, {
    startMs: readTime(start, 'start_time'),
    endMs: end ? readTime(end, 'end_time') : null,
  });
}

/**
 * One result of Anthropic's usage report (`GET /v1/organizations/usage_report/messages`). Input is
 * uncached + cache writes (5m and 1h) + cache reads; cache reads are the cached part.
 * https://docs.anthropic.com/en/api/admin-api/usage-cost/get-messages-usage-report
 */
export function parseAnthropicResult(
  r: Record<string, unknown>,
  bucket: { startMs: number; endMs: number | null },
): UsageRow {
  const row = emptyRow();
  row.startMs = bucket.startMs;
  row.durationMs = bucket.endMs !== null ? Math.max(0, bucket.endMs - bucket.startMs) : 86_400_000;
  row.model = readText(r.model) ?? 'unknown';
  row.project = readText(r.workspace_id);
  row.apiKey = readText(r.api_key_id);
  const tier = readText(r.service_tier);
  if (tier) row.tags.service_tier = tier;
  const uncached = readCount(r.uncached_input_tokens, 'uncached_input_tokens');
  const output = readCount(r.output_tokens, 'output_tokens');
  if (uncached === null || output === null)
    throw new Error('uncached_input_tokens and output_tokens are required');
  const creation = (r.cache_creation ?? {}) as Record<string, unknown>;
  const writes =
    (readCount(creation.ephemeral_5m_input_tokens, 'cache_creation.ephemeral_5m_input_tokens') ?? 0) +
    (readCount(creation.ephemeral_1h_input_tokens, 'cache_creation.ephemeral_1h_input_tokens') ?? 0);
  const reads = readCount(r.cache_read_input_tokens, 'cache_read_input_tokens') ?? 0;
  row.inputTokens = uncached + writes + reads;
  row.cachedInputTokens = reads;
  row.outputTokens = output;
  // The report counts tokens, not requests.
  row.requests = 0;
  return row;
}
