import { findGpu, type GpuSpec } from './gpu-catalogue.js';
import { kvBytesPerToken, kvFormula, kvReplication, validTensorParallelSizes } from './kv-cache.js';
import { findModel, type ModelArchitecture } from './model-catalogue.js';
import {
  KV_DTYPE_BYTES,
  QUANTISATIONS,
  bytesPerWeight,
  type KvDtype,
  type Quantisation,
} from './quantisation.js';

export const HOURS_PER_MONTH = 730;

export interface CapacityInput {
  model: string;
  quant: Quantisation;
  kvDtype: KvDtype;
  gpu: string;
  /** Tokens of context each concurrent sequence may hold (prompt + output). */
  contextTokens: number;
  concurrency: number;
  /** vLLM `gpu_memory_utilization`: the share of each GPU's memory the engine may use. */
  gpuMemoryUtilization?: number;
  /** Per GPU: activations, CUDA graphs and workspace, taken from the engine's share before KV. */
  activationReserveGb?: number;
  gpuHourlyUsd?: number;
  /** Average share of the time the GPUs are busy; cost per token divides by it. */
  utilisation?: number;
  /** Measured output tokens/s of one replica at this concurrency (from `switchyard bench`). */
  measuredTokensPerSecond?: number;
  /** Share of peak memory bandwidth a decode step achieves, for the roofline estimate. */
  bandwidthEfficiency?: number;
}

export interface ParallelOption {
  gpus: number;
  tensorParallel: number;
  pipelineParallel: number;
  weightsPerGpuGb: number;
  kvAvailablePerGpuGb: number;
  maxConcurrency: number;
  fits: boolean;
}

export interface CapacityPlan {
  model: ModelArchitecture;
  gpu: GpuSpec;
  quant: Quantisation;
  kvDtype: KvDtype;
  contextTokens: number;
  concurrency: number;
  bytesPerWeight: number;
  weightsGb: number;
  kvBytesPerToken: number;
  kvGb: number;
  activationReserveGb: number;
  gpuMemoryUtilization: number;
  totalGb: number;
  gpusNeeded: number | null;
  tensorParallel: number | null;
  pipelineParallel: number | null;
  maxConcurrency: number;
  options: ParallelOption[];
  throughput: {
    outputTokensPerSecond: number;
    basis: 'measured' | 'roofline-estimate';
    explanation: string;
  } | null;
  gpuHourlyUsd: number;
  /** Where the hourly price came from: the catalogue entry's source and date, or `given`. */
  gpuPriceSource: string;
  monthlyGpuUsd: number | null;
  utilisation: number;
  usdPerMillionOutputTokens: number | null;
  formulas: string[];
  notes: string[];
}

const GB = 1e9;

export function planCapacity(input: CapacityInput): CapacityPlan {
  const model = findModel(input.model);
  if (!model) throw new Error(`unknown model '${input.model}'`);
  const gpu = findGpu(input.gpu);
  if (!gpu) throw new Error(`unknown GPU '${input.gpu}'`);
  if (!(input.contextTokens > 0)) throw new Error('context must be a positive number of tokens');
  if (!(input.concurrency > 0)) throw new Error('concurrency must be positive');
  const util = input.gpuMemoryUtilization ?? 0.9;
  const activation = input.activationReserveGb ?? 2;
  const utilisation = input.utilisation ?? 0.6;
  const gpuHourlyUsd = input.gpuHourlyUsd ?? gpu.typicalHourlyUsd;
  const efficiency = input.bandwidthEfficiency ?? 0.6;

  const bpw = bytesPerWeight(input.quant);
  const weightsGb = (model.totalParamsB * 1e9 * bpw) / GB;
  const kvBytes = KV_DTYPE_BYTES[input.kvDtype];
  const perToken = kvBytesPerToken(model, kvBytes);
  const kvGb = (perToken * input.contextTokens * input.concurrency) / GB;

  const tpSizes = validTensorParallelSizes(model);
  const layouts: Array<{ tp: number; pp: number }> = tpSizes.map((tp) => ({ tp, pp: 1 }));
  if (tpSizes.includes(8)) for (const pp of [2, 3, 4]) layouts.push({ tp: 8, pp });

  const options = layouts.map(({ tp, pp }): ParallelOption => {
    const gpus = tp * pp;
    const weightsPerGpuGb = weightsGb / gpus;
    const kvAvailablePerGpuGb = gpu.memoryGb * util - weightsPerGpuGb - activation;
    const perTokenPerGpu = (perToken * kvReplication(model, tp)) / gpus;
    const tokenCapacity =
      kvAvailablePerGpuGb > 0 ? Math.floor((kvAvailablePerGpuGb * GB) / perTokenPerGpu) : 0;
    const maxConcurrency = Math.floor(tokenCapacity / input.contextTokens);
    return {
      gpus,
      tensorParallel: tp,
      pipelineParallel: pp,
      weightsPerGpuGb,
      kvAvailablePerGpuGb,
      maxConcurrency,
      fits: maxConcurrency >= input.concurrency,
    };
  });
  const chosen = options.find((o) => o.fits) ?? null;
  const largest = options.reduce(
    (best, o) => (o.maxConcurrency > best.maxConcurrency ? o : best),
    options[0],
  );
  const shown = chosen ?? largest;
  const totalGb =
    weightsGb + kvGb * (chosen ? kvReplication(model, chosen.tensorParallel) : 1) + activation * shown.gpus;

  let throughput: CapacityPlan['throughput'] = null;
  if (input.measuredTokensPerSecond !== undefined) {
    throughput = {
      outputTokensPerSecond: input.measuredTokensPerSecond,
      basis: 'measured',
      explanation: 'measured output tokens/s of one replica (switchyard bench)',
    };
  } else if (chosen) {
    // Decoding is bound by memory bandwidth: each step reads the active weights once and each
    // sequence's KV cache (half-full on average); the step yields one token per sequence.
    const batch = input.concurrency;
    const stepBytes = model.activeParamsB * 1e9 * bpw + batch * (input.contextTokens / 2) * perToken;
    const bandwidth = chosen.gpus * gpu.memoryBandwidthGbPerS * GB * efficiency;
    const tps = (batch * bandwidth) / stepBytes;
    throughput = {
      outputTokensPerSecond: tps,
      basis: 'roofline-estimate',
      explanation:
        `roofline estimate, not a benchmark: concurrency ${batch} × (${chosen.gpus} × ${gpu.memoryBandwidthGbPerS} GB/s × efficiency ${efficiency}) ÷ ` +
        `(active weights ${(model.activeParamsB * bpw).toFixed(2)} GB + ${batch} × ${input.contextTokens / 2} avg tokens × ${perToken} B KV) = ${tps.toFixed(0)} tokens/s`,
    };
  }
  const gpus = chosen?.gpus ?? null;
  const monthlyGpuUsd = gpus === null ? null : gpus * gpuHourlyUsd * HOURS_PER_MONTH;
  const usdPerMillionOutputTokens =
    gpus !== null && throughput
      ? (gpus * gpuHourlyUsd * 1e6) / (throughput.outputTokensPerSecond * 3600 * utilisation)
      : null;

  const formulas = [
    `weights = ${model.totalParamsB}B params × ${bpw.toFixed(4)} B/param (${input.quant}: ${QUANTISATIONS[input.quant].explanation}) = ${weightsGb.toFixed(2)} GB` +
      (model.experts
        ? ` (MoE: all ${model.totalParamsB}B params are resident; ${model.activeParamsB}B are active per token)`
        : ''),
    `KV per token = ${kvFormula(model, kvBytes)}`,
    `KV for workload = ${perToken} B × context ${input.contextTokens} × concurrency ${input.concurrency} = ${kvGb.toFixed(2)} GB`,
    `KV room per GPU = ${gpu.memoryGb} GB × gpu_memory_utilization ${util} − activations ${activation} GB − weights ${weightsGb.toFixed(2)} GB ÷ ${shown.gpus} GPUs = ${shown.kvAvailablePerGpuGb.toFixed(2)} GB`,
    `largest concurrency = floor(${shown.kvAvailablePerGpuGb.toFixed(2)} GB ÷ (${perToken} B × ${kvReplication(model, shown.tensorParallel)} copies ÷ ${shown.gpus} GPUs) ÷ ${input.contextTokens} tokens) = ${shown.maxConcurrency}`,
  ];
  if (usdPerMillionOutputTokens !== null && throughput && gpus !== null)
    formulas.push(
      `cost per 1M output tokens = ${gpus} GPUs × $${gpuHourlyUsd}/h × 1e6 ÷ (${throughput.outputTokensPerSecond.toFixed(0)} tokens/s × 3600 × utilisation ${utilisation}) = $${usdPerMillionOutputTokens.toFixed(3)}`,
    );
  const notes = [
    `GB are 10^9 bytes; GPU memory is the marketed size (${gpu.memoryGb} GB).`,
    `Valid tensor-parallel sizes for ${model.attentionHeads} attention heads / ${model.kvHeads} KV heads: ${validTensorParallelSizes(model).join(', ')}; beyond 8 GPUs the plan adds pipeline stages of 8.`,
    `GPU price $${gpuHourlyUsd}/h${input.gpuHourlyUsd === undefined ? ` (${gpu.priceSource}, checked ${gpu.checked})` : ' (given)'}.`,
    `Architecture from ${model.source} (checked ${model.checked}).`,
  ];
  if (model.note) notes.push(model.note);
  if (input.contextTokens > model.contextLength)
    notes.push(`context ${input.contextTokens} exceeds the model's ${model.contextLength}-token window.`);
  if (!chosen)
    notes.push(
      `no layout up to 32 × ${gpu.id} holds ${input.concurrency} sequences of ${input.contextTokens} tokens.`,
    );

  return {
    model,
    gpu,
    quant: input.quant,
    kvDtype: input.kvDtype,
    contextTokens: input.contextTokens,
    concurrency: input.concurrency,
    bytesPerWeight: bpw,
    weightsGb,
    kvBytesPerToken: perToken,
    kvGb,
    activationReserveGb: activation,
    gpuMemoryUtilization: util,
    totalGb,
    gpusNeeded: gpus,
    tensorParallel: chosen?.tensorParallel ?? null,
    pipelineParallel: chosen?.pipelineParallel ?? null,
    maxConcurrency: shown.maxConcurrency,
    options,
    throughput,
    gpuHourlyUsd,
    gpuPriceSource: input.gpuHourlyUsd === undefined ? `${gpu.priceSource}, checked ${gpu.checked}` : 'given',
    monthlyGpuUsd,
    utilisation,
    usdPerMillionOutputTokens,
    formulas,
    notes,
  };
}
