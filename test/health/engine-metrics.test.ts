import { describe, expect, it } from 'vitest';
import { parseEngineMetrics } from '../../src/health/engine-metrics.js';

// Shapes as published by each engine's /metrics (see the sources in engine-metrics.ts).
const VLLM_V1 = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 12.0
# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 3.0
vllm:num_requests_waiting{engine="1",model_name="meta-llama/Llama-3.1-8B-Instruct"} 2.0
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.41
vllm:kv_cache_usage_perc{engine="1",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.87
vllm:time_to_first_token_seconds_bucket{le="0.001",model_name="m"} 0.0
`;

const VLLM_V0 = `vllm:num_requests_waiting{model_name="m"} 0.0
vllm:num_requests_running{model_name="m"} 4.0
vllm:gpu_cache_usage_perc{model_name="m"} 0.125
`;

const SGLANG = `# HELP sglang:token_usage The token usage
# TYPE sglang:token_usage gauge
sglang:token_usage{model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.28
sglang:num_running_reqs{model_name="meta-llama/Llama-3.1-8B-Instruct"} 7.0
sglang:num_queue_reqs{model_name="meta-llama/Llama-3.1-8B-Instruct"} 9.0
`;

const TGI = `# TYPE tgi_queue_size gauge
tgi_queue_size 6
# TYPE tgi_batch_current_size gauge
tgi_batch_current_size 16
tgi_request_count 1234
`;

describe('parseEngineMetrics', () => {
  it.each([
    ['vLLM V1 (summed queue, largest KV)', VLLM_V1, { queueDepth: 5, running: 12, kvCacheUsage: 0.87 }],
    ['vLLM V0 gpu_cache_usage_perc', VLLM_V0, { queueDepth: 0, running: 4, kvCacheUsage: 0.125 }],
    ['SGLang', SGLANG, { queueDepth: 9, running: 7, kvCacheUsage: 0.28 }],
    ['TGI', TGI, { queueDepth: 6, running: 16 }],
    ['an unrelated exporter', 'process_cpu_seconds_total 12.5\n', {}],
    ['garbage', 'not prometheus {{{\n\u0000', {}],
  ])('%s', (_name, text, expected) => {
    expect(parseEngineMetrics(text)).toEqual(expected);
  });

  it('reads labels that contain braces and timestamps after the value', () => {
    const text = 'vllm:num_requests_waiting{model_name="a}b",x="q\\"}"} 4 1700000000000\n';
    expect(parseEngineMetrics(text)).toEqual({ queueDepth: 4 });
  });

  it('ignores NaN samples', () => {
    expect(parseEngineMetrics('tgi_queue_size NaN\n')).toEqual({});
  });
});
