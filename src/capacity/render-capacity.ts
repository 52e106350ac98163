import { formatUsd } from '../planner/format-usd.js';
import { HOURS_PER_MONTH } from '../cost/self-hosted-cost.js';
import type { CapacityPlan } from './plan-capacity.js';

const r2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10000) / 10000;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

export function renderCapacity(p: CapacityPlan): string {
  const lines: string[] = [];
  lines.push(
    `${p.model.name} (${p.quant}, KV ${p.kvDtype}) on ${p.gpu.name}: context ${p.contextTokens}, concurrency ${p.concurrency}`,
  );
  if (p.refusal) lines.push('', `  Refused: ${p.refusal}`);
  for (const w of p.warnings) lines.push('', `  Warning: ${w}`);
  lines.push('');
  const row = (label: string, v: string) => lines.push(`  ${label.padEnd(30)} ${v}`);
  row('Weights', `${r2(p.weightsGb)} GB`);
  row('KV cache per token', `${p.kvBytesPerToken.toLocaleString('en-US')} bytes`);
  row('KV cache for the workload', `${r2(p.kvGb)} GB`);
  row(
    'Engine reserve',
    `${r2((1 - p.gpuMemoryUtilization) * 100)}% of each GPU (gpu_memory_utilization ${p.gpuMemoryUtilization}) + ${p.activationReserveGb} GB activations per GPU`,
  );
  // A refused plan has no layout of its own: name the one its memory figures are of.
  const on =
    p.shownLayout === 'chosen'
      ? ''
      : ` on ${p.shownGpus} × ${p.gpu.id}${{ given: ' (--gpus)', 'holds-most': ', the layout that holds the most', widest: ', the widest layout tried' }[p.shownLayout]}`;
  row('Total', `${r2(p.totalGb)} GB${on}`);
  row(
    'GPUs needed',
    p.gpusNeeded === null
      ? 'does not fit'
      : `${p.gpusNeeded} (tensor parallel ${p.tensorParallel}${p.pipelineParallel && p.pipelineParallel > 1 ? ` × pipeline ${p.pipelineParallel}` : ''})`,
  );
  if (p.layoutChoice) row('Layout chosen by', p.layoutChoice.summary);
  row('Largest concurrency that fits', `${p.maxConcurrency} sequences of ${p.contextTokens} tokens${on}`);
  row(
    'Typical request',
    `${int(p.request.promptTokens)} prompt + ${int(p.request.outputTokens)} output tokens`,
  );
  if (p.latency)
    row(
      'Latency cap',
      p.latency.cap >= p.concurrency
        ? `none: ${p.concurrency} sequences meet the targets`
        : `${p.latency.cap} concurrent sequences per replica (requested ${p.concurrency})`,
    );
  if (p.throughput) {
    const t = p.throughput;
    const e = t.estimate;
    row(
      'Throughput',
      e.stepMs === null && t.basis === 'roofline-estimate'
        ? `${int(t.inputTokensPerSecond)} prompt tokens/s, no output (${t.basis})`
        : `${int(t.outputTokensPerSecond)} output tokens/s (${t.basis}) + ${int(t.inputTokensPerSecond)} prompt tokens/s${t.basis === 'measured' ? ' prefill ceiling' : ''}`,
    );
    if (e.stepMs !== null)
      row(
        'Per step at the planned batch',
        `${r2(e.stepMs)} ms (${e.binding === 'prefill' ? 'prefill binds' : e.binding === 'decode-compute' ? 'decode compute binds' : 'memory bandwidth binds'}); ${r2(e.perUserOutputTokensPerSecond ?? 0)} tokens/s per user`,
      );
    row('Latency estimate', `TTFT ${int(e.ttftMs)} ms, end to end ${int(e.e2eMs)} ms (no queueing)`);
    if (e.expertCoverage !== null)
      row('Experts touched per step', `${r2(e.expertCoverage * 100)}% of routed experts`);
  }
  if (p.monthlyGpuUsd !== null && p.gpusNeeded !== null)
    row(
      'GPU cost',
      `${formatUsd(p.monthlyGpuUsd)}/month = ${p.gpusNeeded} GPUs × $${round4(p.gpuHourlyUsd)}/h × ${HOURS_PER_MONTH} h`,
    );
  if (p.usdPerMillionOutputTokens !== null)
    row(
      `Cost per 1M output tokens`,
      `${formatUsd(p.usdPerMillionOutputTokens)} at ${r2(p.utilisation * 100)}% utilisation`,
    );
  lines.push('');
  lines.push(...layoutTable(p));
  lines.push('');
  lines.push('  How these figures are computed:');
  for (const f of p.formulas) lines.push(`    ${f}`);
  if (p.throughput) lines.push(`    throughput: ${p.throughput.explanation}`);
  for (const n of p.notes) lines.push(`    note: ${n}`);
  return `${lines.join('\n')}\n`;
}

/** Every layout tried: its memory, what it runs and serves, what a token costs on it, and which was chosen. */
function layoutTable(p: CapacityPlan): string[] {
  const kind = p.options.find((o) => o.economics)?.economics?.tokenKind ?? 'output';
  // Layouts that fit carry what they run, serve and cost; when none fits the columns are left out.
  const served = p.options.some((o) => o.economics);
  const head = [
    'GPUs',
    'TP',
    'PP',
    'weights/GPU',
    'KV room/GPU',
    'max concurrency',
    ...(p.latency ? ['latency cap'] : []),
    ...(served ? ['runs', 'output tok/s', `$/1M ${kind}`] : []),
    '',
  ];
  const rows = p.options.map((o) => {
    const e = o.economics;
    return [
      String(o.gpus),
      String(o.tensorParallel),
      String(o.pipelineParallel),
      `${r2(o.weightsPerGpuGb)} GB`,
      `${r2(o.kvAvailablePerGpuGb)} GB`,
      String(o.maxConcurrency),
      ...(p.latency ? [o.maxConcurrency > 0 ? String(o.latencyCap) : '-'] : []),
      ...(served
        ? [
            e ? String(o.concurrency) : '',
            e ? int(e.throughput.outputTokensPerSecond) : '',
            e ? formatUsd(e.usdPerMillionTokens) : '',
          ]
        : []),
      o === p.layoutChoice?.option ? 'chosen' : o.fits ? 'fits' : '',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`.trimEnd());
}

export function capacityJson(p: CapacityPlan): Record<string, unknown> {
  const e = p.throughput?.estimate ?? null;
  return {
    model: p.model.id,
    hf_repo: p.model.hfRepo,
    gpu: p.gpu.id,
    quant: p.quant,
    kv_dtype: p.kvDtype,
    context: p.contextTokens,
    concurrency: p.concurrency,
    effective_concurrency: p.effectiveConcurrency,
    prompt_tokens: p.request.promptTokens,
    output_tokens: p.request.outputTokens,
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
    shown_gpus: p.shownGpus,
    shown_layout: p.shownLayout,
    layout_choice: p.layoutChoice
      ? {
          rule: p.layoutChoice.rule,
          summary: p.layoutChoice.summary,
          explanation: p.layoutChoice.explanation,
        }
      : null,
    refused: p.refusal,
    warnings: p.warnings,
    output_tokens_per_second: p.throughput ? r2(p.throughput.outputTokensPerSecond) : null,
    input_tokens_per_second: p.throughput ? r2(p.throughput.inputTokensPerSecond) : null,
    throughput_basis: p.throughput?.basis ?? null,
    step_ms: e?.stepMs == null ? null : r2(e.stepMs),
    binding: e?.binding ?? null,
    expert_coverage: e?.expertCoverage == null ? null : Math.round(e.expertCoverage * 1000) / 1000,
    ttft_ms: e ? r2(e.ttftMs) : null,
    e2e_ms: e ? r2(e.e2eMs) : null,
    output_tokens_per_second_per_user:
      e?.perUserOutputTokensPerSecond == null ? null : r2(e.perUserOutputTokensPerSecond),
    compute_dtype: p.compute.dtype,
    compute_tflops_per_gpu: p.compute.tflopsPerGpu,
    bandwidth_efficiency: p.bandwidthEfficiency,
    compute_efficiency: p.computeEfficiency,
    latency: p.latency
      ? {
          ttft_p95_ms: p.latency.targets.ttftP95Ms ?? null,
          output_tokens_per_second_per_user: p.latency.targets.outputTokensPerSecondPerUser ?? null,
          e2e_p95_ms: p.latency.targets.e2eP95Ms ?? null,
          concurrency_cap: p.latency.cap,
          explanation: p.latency.explanation,
        }
      : null,
    gpu_hourly_usd: p.gpuHourlyUsd,
    gpu_price_source: p.gpuPriceSource,
    instance: p.price.instance
      ? { name: p.price.instance.name, gpus: p.price.instance.gpus, hourly_usd: p.price.instance.hourlyUsd }
      : null,
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
      latency_cap: o.latencyCap,
      fits: o.fits,
      concurrency: o.economics ? o.concurrency : null,
      output_tokens_per_second: o.economics ? r2(o.economics.throughput.outputTokensPerSecond) : null,
      input_tokens_per_second: o.economics ? r2(o.economics.throughput.inputTokensPerSecond) : null,
      usd_per_million_tokens: o.economics ? r2(o.economics.usdPerMillionTokens * 1000) / 1000 : null,
      token_kind: o.economics?.tokenKind ?? null,
      replicas_for_load: o.economics?.replicasForLoad ?? null,
      monthly_gpu_usd_for_load:
        o.economics?.monthlyGpuUsdForLoad == null ? null : r2(o.economics.monthlyGpuUsdForLoad),
      chosen: o === p.layoutChoice?.option,
    })),
    formulas: p.formulas,
    notes: p.notes,
  };
}
