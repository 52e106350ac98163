import type { CapacityPlan } from './plan-capacity.js';

const r2 = (n: number) => Math.round(n * 100) / 100;

export function renderCapacity(p: CapacityPlan): string {
  const lines: string[] = [];
  lines.push(
    `${p.model.name} (${p.quant}, KV ${p.kvDtype}) on ${p.gpu.name}: context ${p.contextTokens}, concurrency ${p.concurrency}`,
  );
  lines.push('');
  const row = (label: string, v: string) => lines.push(`  ${label.padEnd(30)} ${v}`);
  row('Weights', `${r2(p.weightsGb)} GB`);
  row('KV cache per token', `${p.kvBytesPerToken.toLocaleString('en-US')} bytes`);
  row('KV cache for the workload', `${r2(p.kvGb)} GB`);
  row(
    'Engine reserve',
    `${r2((1 - p.gpuMemoryUtilization) * 100)}% of each GPU (gpu_memory_utilization ${p.gpuMemoryUtilization}) + ${p.activationReserveGb} GB activations per GPU`,
  );
  row('Total', `${r2(p.totalGb)} GB`);
  row(
    'GPUs needed',
    p.gpusNeeded === null
      ? 'does not fit'
      : `${p.gpusNeeded} (tensor parallel ${p.tensorParallel}${p.pipelineParallel && p.pipelineParallel > 1 ? ` × pipeline ${p.pipelineParallel}` : ''})`,
  );
  row('Largest concurrency that fits', `${p.maxConcurrency} sequences of ${p.contextTokens} tokens`);
  if (p.throughput)
    row(
      'Throughput',
      `${Math.round(p.throughput.outputTokensPerSecond)} output tokens/s (${p.throughput.basis})`,
    );
  if (p.monthlyGpuUsd !== null)
    row('GPU cost', `$${r2(p.monthlyGpuUsd).toLocaleString('en-US')}/month at $${p.gpuHourlyUsd}/h`);
  if (p.usdPerMillionOutputTokens !== null)
    row(
      `Cost per 1M output tokens`,
      `$${r2(p.usdPerMillionOutputTokens)} at ${r2(p.utilisation * 100)}% utilisation`,
    );
  lines.push('');
  lines.push('  GPUs  TP  PP  weights/GPU  KV room/GPU  max concurrency');
  for (const o of p.options)
    lines.push(
      `  ${String(o.gpus).padEnd(5)} ${String(o.tensorParallel).padEnd(3)} ${String(o.pipelineParallel).padEnd(3)} ${`${r2(o.weightsPerGpuGb)} GB`.padEnd(12)} ${`${r2(o.kvAvailablePerGpuGb)} GB`.padEnd(12)} ${o.maxConcurrency}${o.fits ? '  fits' : ''}`,
    );
  lines.push('');
  lines.push('  How these figures are computed:');
  for (const f of p.formulas) lines.push(`    ${f}`);
  if (p.throughput) lines.push(`    throughput: ${p.throughput.explanation}`);
  for (const n of p.notes) lines.push(`    note: ${n}`);
  return `${lines.join('\n')}\n`;
}

export function capacityJson(p: CapacityPlan): Record<string, unknown> {
  return {
    model: p.model.id,
    hf_repo: p.model.hfRepo,
    gpu: p.gpu.id,
    quant: p.quant,
    kv_dtype: p.kvDtype,
    context: p.contextTokens,
    concurrency: p.concurrency,
    bytes_per_weight: p.bytesPerWeight,
    weights_gb: r2(p.weightsGb),
    kv_bytes_per_token: p.kvBytesPerToken,
    kv_gb: r2(p.kvGb),
    gpu_memory_utilization: p.gpuMemoryUtilization,
    activation_reserve_gb_per_gpu: p.activationReserveGb,
    total_gb: r2(p.totalGb),
    gpus_needed: p.gpusNeeded,
    tensor_parallel: p.tensorParallel,
    pipeline_parallel: p.pipelineParallel,
    max_concurrency: p.maxConcurrency,
    output_tokens_per_second: p.throughput ? r2(p.throughput.outputTokensPerSecond) : null,
    throughput_basis: p.throughput?.basis ?? null,
    gpu_hourly_usd: p.gpuHourlyUsd,
    gpu_price_source: p.gpuPriceSource,
    architecture_source: p.model.source,
    monthly_gpu_usd: p.monthlyGpuUsd === null ? null : r2(p.monthlyGpuUsd),
    utilisation: p.utilisation,
    usd_per_million_output_tokens:
      p.usdPerMillionOutputTokens === null ? null : r2(p.usdPerMillionOutputTokens * 1000) / 1000,
    options: p.options.map((o) => ({
      gpus: o.gpus,
      tensor_parallel: o.tensorParallel,
      pipeline_parallel: o.pipelineParallel,
      weights_per_gpu_gb: r2(o.weightsPerGpuGb),
      kv_available_per_gpu_gb: r2(o.kvAvailablePerGpuGb),
      max_concurrency: o.maxConcurrency,
      fits: o.fits,
    })),
    formulas: p.formulas,
    notes: p.notes,
  };
}
