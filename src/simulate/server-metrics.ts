import { MetricRegistry, type Counter, type Gauge, type Histogram } from '../metrics/metric-registry.js';
import type { CapacityGate } from './capacity-gate.js';

/**
 * What a serving engine reports on /metrics, rendered by the gateway's own Prometheus registry.
 * Series names and bucket bounds follow vLLM's own (vllm/engine/metrics.py, read 2026-11-25 via
 * github.com/vllm-project/vllm); TGI's queue and batch gauges follow text-generation-inference's
 * router metrics.
 */
export class ServerMetrics {
  private readonly vllm = new MetricRegistry();
  private readonly tgi = new MetricRegistry();
  private readonly model = ['model_name'];
  private readonly running: Gauge;
  private readonly waiting: Gauge;
  private readonly gpuCache: Gauge;
  private readonly kvCache: Gauge;
  private readonly promptTokens: Counter;
  private readonly generationTokens: Counter;
  private readonly successes: Counter;
  private readonly ttft: Histogram;
  private readonly e2e: Histogram;
  private readonly tgiQueue: Gauge;
  private readonly tgiBatch: Gauge;
  private readonly tgiSuccesses: Counter;
  private readonly labels: { model_name: string };

  constructor(
    private readonly gate: CapacityGate,
    model: string,
  ) {
    this.labels = { model_name: model };
    const r = this.vllm;
    this.running = r.gauge(
      'vllm:num_requests_running',
      'Number of requests currently running on GPU.',
      this.model,
    );
    this.waiting = r.gauge(
      'vllm:num_requests_waiting',
      'Number of requests waiting to be processed.',
      this.model,
    );
    this.gpuCache = r.gauge(
      'vllm:gpu_cache_usage_perc',
      'GPU KV-cache usage. 1 means 100 percent usage.',
      this.model,
    );
    this.kvCache = r.gauge(
      'vllm:kv_cache_usage_perc',
      'KV-cache usage. 1 means 100 percent usage.',
      this.model,
    );
    this.promptTokens = r.counter(
      'vllm:prompt_tokens_total',
      'Number of prefill tokens processed.',
      this.model,
    );
    this.generationTokens = r.counter(
      'vllm:generation_tokens_total',
      'Number of generation tokens processed.',
      this.model,
    );
    this.successes = r.counter(
      'vllm:request_success_total',
      'Count of successfully processed requests.',
      this.model,
    );
    this.ttft = r.histogram(
      'vllm:time_to_first_token_seconds',
      'Histogram of time to first token in seconds.',
      this.model,
      [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0],
    );
    this.e2e = r.histogram(
      'vllm:e2e_request_latency_seconds',
      'Histogram of end to end request latency in seconds.',
      this.model,
      [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0],
    );
    this.tgiQueue = this.tgi.gauge('tgi_queue_size', 'Requests waiting in the queue.');
    this.tgiBatch = this.tgi.gauge('tgi_batch_current_size', 'Requests in the running batch.');
    this.tgiSuccesses = this.tgi.counter('tgi_request_success', 'Successful requests.');
  }

  firstToken(seconds: number): void {
    this.ttft.observe(this.labels, seconds);
  }

  succeeded(promptTokens: number, completionTokens: number, e2eSeconds: number): void {
    this.promptTokens.inc(this.labels, promptTokens);
    this.generationTokens.inc(this.labels, completionTokens);
    this.successes.inc(this.labels);
    this.tgiSuccesses.inc({});
    this.e2e.observe(this.labels, e2eSeconds);
  }

  renderVllm(): string {
    const usage = this.gate.cacheUsage();
    this.running.set(this.labels, this.gate.running);
    this.waiting.set(this.labels, this.gate.waiting);
    this.gpuCache.set(this.labels, usage);
    this.kvCache.set(this.labels, usage);
    return this.vllm.render();
  }

  renderTgi(): string {
    this.tgiQueue.set({}, this.gate.waiting);
    this.tgiBatch.set({}, this.gate.running);
    return this.tgi.render();
  }
}
