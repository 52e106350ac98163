/** Load figures an inference engine publishes on its Prometheus endpoint. */
export interface EngineMetrics {
  /** Requests waiting for a batch slot. */
  queueDepth?: number;
  /** Requests being decoded now. */
  running?: number;
  /** KV-cache (or token pool) use, 0..1. */
  kvCacheUsage?: number;
}

/**
 * Metric names per engine, from their documentation (read 2026-11-25):
 * vLLM https://docs.vllm.ai/en/stable/usage/metrics/ (`kv_cache_usage_perc` replaced
 * `gpu_cache_usage_perc` in the V1 engine; both are fractions despite the name),
 * SGLang https://docs.sglang.io/references/production_metrics.html,
 * TGI https://huggingface.co/docs/text-generation-inference/reference/metrics.
 */
const QUEUE = new Set(['vllm:num_requests_waiting', 'sglang:num_queue_reqs', 'tgi_queue_size']);
const RUNNING = new Set(['vllm:num_requests_running', 'sglang:num_running_reqs', 'tgi_batch_current_size']);
const KV = new Set(['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc', 'sglang:token_usage']);

/**
 * Reads queue depth, running requests and KV-cache use from Prometheus text exposition format.
 * Series of one name with different labels (one per model or rank) are summed for counts and the
 * largest is kept for cache use, since one full cache is enough to stall admissions.
 */
export function parseEngineMetrics(text: string): EngineMetrics {
  const out: EngineMetrics = {};
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const nameEnd = line.search(/[{\s]/);
    if (nameEnd <= 0) continue;
    const name = line.slice(0, nameEnd);
    const isQueue = QUEUE.has(name);
    const isRunning = !isQueue && RUNNING.has(name);
    const isKv = !isQueue && !isRunning && KV.has(name);
    if (!isQueue && !isRunning && !isKv) continue;
    const value = sampleValue(line, nameEnd);
    if (value === undefined) continue;
    if (isQueue) out.queueDepth = (out.queueDepth ?? 0) + value;
    else if (isRunning) out.running = (out.running ?? 0) + value;
    else out.kvCacheUsage = Math.max(out.kvCacheUsage ?? 0, value);
  }
  return out;
}

function sampleValue(line: string, nameEnd: number): number | undefined {
  let rest = line.slice(nameEnd);
  if (rest.startsWith('{')) {
    // Label values may contain `}` inside quotes; skip them properly.
    let i = 1;
    let quoted = false;
    for (; i < rest.length; i++) {
      const ch = rest[i];
      if (quoted) {
        if (ch === '\\') i++;
        else if (ch === '"') quoted = false;
      } else if (ch === '"') quoted = true;
      else if (ch === '}') break;
    }
    rest = rest.slice(i + 1);
  }
  const token = rest.trim().split(/\s+/)[0];
  if (!token) return undefined;
  const value = token === '+Inf' ? Infinity : token === '-Inf' ? -Infinity : Number(token);
  return Number.isFinite(value) ? value : undefined;
}
