import type { GpuSpec } from './gpu-catalogue.js';
import type { LatencyTargets } from './latency-cap.js';
import type { ModelArchitecture } from './model-catalogue.js';
import type { ParallelOption } from './plan-capacity.js';
import type { Quantisation } from './quantisation.js';

export interface FitContext {
  model: ModelArchitecture;
  gpu: GpuSpec;
  weightsGb: number;
  util: number;
  activation: number;
  input: { quant: Quantisation; contextTokens: number; concurrency: number };
}

/** Why one layout does not serve the inputs, with the memory arithmetic that decides it. */
export function whyNotFit(o: ParallelOption, c: FitContext): string {
  const room = c.gpu.memoryGb * c.util - c.activation;
  if (o.weightsPerGpuGb >= room)
    return (
      `${round2(c.weightsGb)} GB of ${c.model.name} ${c.input.quant} weights need ${round2(o.weightsPerGpuGb)} GB on each of ${o.gpus} × ${c.gpu.name}, ` +
      `which holds ${c.gpu.memoryGb} GB × gpu_memory_utilization ${c.util} − ${c.activation} GB activations = ${round2(room)} GB: the weights do not fit`
    );
  if (o.concurrency < 1) return `on ${o.gpus} × ${c.gpu.id} no concurrency meets the latency targets`;
  return (
    `${o.gpus} × ${c.gpu.id} leave ${round2(o.kvAvailablePerGpuGb)} GB per GPU for KV cache: ${o.maxConcurrency} sequences of ${c.input.contextTokens} tokens, ` +
    `not the ${o.concurrency} planned`
  );
}

export function whyNothingFits(
  options: ParallelOption[],
  c: FitContext & { targets: LatencyTargets | null },
): string {
  const tried = `tried ${options.map((o) => o.gpus).join(', ')} GPUs`;
  const memoryHolds = options.filter((o) => o.maxConcurrency >= 1);
  if (memoryHolds.length === 0) {
    const widest = options[options.length - 1];
    return `the weights leave no room for one sequence of ${c.input.contextTokens} tokens on any layout (${tried}): ${whyNotFit(widest, c)}`;
  }
  if (c.targets && options.every((o) => o.concurrency < 1))
    return `no layout meets the latency targets even with one sequence (${tried})`;
  const best = options.reduce((a, b) => (b.maxConcurrency > a.maxConcurrency ? b : a));
  return (
    `no layout holds ${c.input.concurrency} sequences of ${c.input.contextTokens} tokens (${tried}); the most is ${best.maxConcurrency} on ${best.gpus} × ${c.gpu.id}: ` +
    `lower --concurrency or --context, or quantise the KV cache`
  );
}

const round2 = (n: number) => Math.round(n * 100) / 100;
