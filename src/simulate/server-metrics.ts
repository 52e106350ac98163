import type { CapacityGate } from './capacity-gate.js';
import { PrometheusHistogram, promLabel } from './prometheus-histogram.js';

/**
 * What a serving engine reports on /metrics. Series names and bucket bounds follow vLLM's own
 * (vllm/engine/metrics.py, read 2026-11-25 via github.com/vllm-project/vllm); TGI's queue and batch
 * gauges follow text-generation-inference's router metrics.
 */
export class ServerMetrics {
  promptTokens = 0;
  generationTokens = 0;
  successes = 0;
  readonly ttft = new PrometheusHistogram(
    'vllm:time_to_first_token_seconds',
    'Histogram of time to first token in seconds.',
    [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0],
  );
  readonly e2e = new PrometheusHistogram(
    'vllm:e2e_request_latency_seconds',
    'Histogram of end to end request latency in seconds.',
    [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0],
  );

  constructor(private readonly gate: CapacityGate) {}

  renderVllm(model: string): string {
    const l = `model_name="${promLabel(model)}"`;
    const gauge = (name: string, help: string, value: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}{${l}} ${value}`;
    const counter = (name: string, help: string, value: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name}{${l}} ${value}`;
    const usage = this.gate.cacheUsage();
    return (
      [
        gauge('vllm:num_requests_running', 'Number of requests currently running on GPU.', this.gate.running),
        gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', this.gate.waiting),
        gauge('vllm:gpu_cache_usage_perc', 'GPU KV-cache usage. 1 means 100 percent usage.', usage),
        gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', usage),
        counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', this.promptTokens),
        counter(
          'vllm:generation_tokens_total',
          'Number of generation tokens processed.',
          this.generationTokens,
        ),
        counter('vllm:request_success_total', 'Count of successfully processed requests.', this.successes),
        this.ttft.render(l),
        this.e2e.render(l),
      ].join('\n') + '\n'
    );
  }

  renderTgi(): string {
    const gauge = (name: string, help: string, value: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}`;
    return (
      [
        gauge('tgi_queue_size', 'Requests waiting in the queue.', this.gate.waiting),
        gauge('tgi_batch_current_size', 'Requests in the running batch.', this.gate.running),
        `# HELP tgi_request_success Successful requests.\n# TYPE tgi_request_success counter\ntgi_request_success ${this.successes}`,
      ].join('\n') + '\n'
    );
  }
}
