import type { CapacityPlan } from './plan-capacity.js';

/** The replica the cost rests on: its GPUs, throughput, what binds it and any latency cap. */
export function renderReplica(p: CapacityPlan): string {
  const t = p.throughput;
  const lines = [
    `Replica: ${p.gpusNeeded} × ${p.gpu.id} (tensor parallel ${p.tensorParallel}${p.pipelineParallel && p.pipelineParallel > 1 ? ` × pipeline ${p.pipelineParallel}` : ''}) running ${p.model.name} ${p.quant}, ` +
      `${p.effectiveConcurrency} concurrent requests of ${p.request.promptTokens} prompt + ${p.request.outputTokens} output tokens`,
  ];
  if (t)
    lines.push(
      `  ${Math.round(t.outputTokensPerSecond).toLocaleString('en-US')} output + ${Math.round(t.inputTokensPerSecond).toLocaleString('en-US')} prompt tokens/s per replica (${t.basis}): ${t.explanation}`,
    );
  if (p.latency) lines.push(`  latency: ${p.latency.explanation}`);
  if (p.layoutChoice) lines.push(`  layout: ${p.layoutChoice.explanation}`);
  lines.push(`  price: ${p.price.explanation}`);
  return `${lines.join('\n')}\n\n`;
}

export function replicaJson(p: CapacityPlan): Record<string, unknown> {
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return {
    model: p.model.id,
    gpu: p.gpu.id,
    gpus: p.gpusNeeded,
    tensor_parallel: p.tensorParallel,
    pipeline_parallel: p.pipelineParallel,
    concurrency: p.concurrency,
    effective_concurrency: p.effectiveConcurrency,
    prompt_tokens: p.request.promptTokens,
    output_tokens: p.request.outputTokens,
    output_tokens_per_second: p.throughput ? r2(p.throughput.outputTokensPerSecond) : null,
    input_tokens_per_second: p.throughput ? r2(p.throughput.inputTokensPerSecond) : null,
    throughput_basis: p.throughput?.basis ?? null,
    binding: p.throughput?.estimate.binding ?? null,
    latency_cap: p.latency?.cap ?? null,
    latency_explanation: p.latency?.explanation ?? null,
    layout_rule: p.layoutChoice?.rule ?? null,
    layout_explanation: p.layoutChoice?.explanation ?? null,
    gpu_hourly_usd: p.gpuHourlyUsd,
    gpu_price_source: p.gpuPriceSource,
    warnings: p.warnings,
  };
}
