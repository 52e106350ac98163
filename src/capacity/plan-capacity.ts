import { HOURS_PER_MONTH } from '../cost/self-hosted-cost.js';
import { formatUsdCents } from '../planner/format-usd.js';
import { CapacityError } from './capacity-error.js';
import { chooseLayout, givenLayout, type LayoutChoice } from './choose-layout.js';
import { computeRate, type ComputeRate } from './compute-rate.js';
import { estimateStep, type RequestShape, type StepEstimate } from './estimate-step.js';
import { whyNotFit, whyNothingFits } from './explain-fit.js';
import { findGpu, type GpuSpec } from './gpu-catalogue.js';
import { kvBytesPerToken, kvFormula, kvReplication, validTensorParallelSizes } from './kv-cache.js';
import { hasLatencyTargets, latencyCap, type LatencyTargets } from './latency-cap.js';
import { findModel, type ModelArchitecture } from './model-catalogue.js';
import { layoutsFor } from './parallel-layouts.js';
import { priceReplica, type ReplicaPrice } from './price-replica.js';
import { replicasForPeak, type PeakLoad } from './replicas-for-peak.js';
import {
  KV_DTYPE_BYTES,
  QUANTISATIONS,
  bytesPerWeight,
  type KvDtype,
  type Quantisation,
} from './quantisation.js';
import { requestShape } from './request-shape.js';

/** Defaults of the roofline, printed with every estimate. */
export const DEFAULT_BANDWIDTH_EFFICIENCY = 0.6;
export const DEFAULT_COMPUTE_EFFICIENCY = 0.5;

export interface CapacityInput {
  model: string;
  quant: Quantisation;
  kvDtype: KvDtype;
  gpu: string;
  /** Tokens of context each concurrent sequence may hold (prompt + output): what memory is sized for. */
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
  /** Share of the dense tensor-core peak a forward pass achieves, for the roofline estimate. */
  computeEfficiency?: number;
  /** The typical request; a missing part is the rest of the context. */
  request?: Partial<RequestShape>;
  /** Prompt share of the context when no request size is given (a usage mix's input share). */
  inputShare?: number;
  /** GPUs per replica, instead of the smallest layout that fits. */
  gpus?: number;
  latency?: LatencyTargets;
  /**
   * The peak the replicas must serve (breakeven, plan): the layout is then the one whose replicas
   * serve it for the lowest monthly GPU cost. Without it, the lowest cost per token wins.
   */
  load?: PeakLoad;
}

/** What one replica of a layout that fits serves, and what it costs. */
export interface LayoutEconomics {
  throughput: CapacityThroughput;
  /** Per GPU, for a replica of this many GPUs (the instance size that holds it). */
  gpuHourlyUsd: number;
  /** Replica cost per hour ÷ tokens served at the planned utilisation, per million. */
  usdPerMillionTokens: number;
  /** Output tokens, or prompt tokens when the request has no output. */
  tokenKind: 'output' | 'prompt';
  /** Replicas the peak load needs, and their GPUs' monthly cost; null without a load. */
  replicasForLoad: number | null;
  monthlyGpuUsdForLoad: number | null;
}

export interface ParallelOption {
  gpus: number;
  tensorParallel: number;
  pipelineParallel: number;
  weightsPerGpuGb: number;
  kvAvailablePerGpuGb: number;
  /** Sequences of `contextTokens` the KV room holds. */
  maxConcurrency: number;
  /** Largest concurrency up to the requested one that meets the latency targets; null without targets. */
  latencyCap: number | null;
  /** What this layout runs: the requested concurrency, or less where latency caps it. */
  concurrency: number;
  fits: boolean;
  /** Null when the layout does not fit. */
  economics: LayoutEconomics | null;
}

export interface CapacityThroughput {
  outputTokensPerSecond: number;
  /**
   * Prompt tokens/s one replica serves: at the request shape for an estimate; for a measured
   * throughput, the prefill ceiling of the replica's compute, since the measurement's own prompts
   * need not look like the workload's.
   */
  inputTokensPerSecond: number;
  basis: 'measured' | 'roofline-estimate';
  explanation: string;
  /** The roofline at the planned concurrency (also for a measured figure, for latency and prefill). */
  estimate: StepEstimate;
}

export interface CapacityPlan {
  model: ModelArchitecture;
  gpu: GpuSpec;
  quant: Quantisation;
  kvDtype: KvDtype;
  contextTokens: number;
  /** The concurrency asked for. */
  concurrency: number;
  /** The concurrency the chosen layout runs: the one asked for unless latency caps it. */
  effectiveConcurrency: number;
  request: RequestShape;
  requestSource: string;
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
  /** The layout the memory figures are of (Total, Largest concurrency, the KV room formulas). */
  shownGpus: number;
  /** Why it is that layout: chosen, asked for by --gpus, the one that holds the most sequences, or the widest tried. */
  shownLayout: 'chosen' | 'given' | 'holds-most' | 'widest';
  options: ParallelOption[];
  /** Why the replica has this layout; null when nothing fits. */
  layoutChoice: LayoutChoice | null;
  compute: ComputeRate;
  bandwidthEfficiency: number;
  computeEfficiency: number;
  latency: { targets: LatencyTargets; cap: number; explanation: string } | null;
  throughput: CapacityThroughput | null;
  gpuHourlyUsd: number;
  /** Where the hourly price came from: the instance size and the catalogue's source and date, or `given`. */
  gpuPriceSource: string;
  price: ReplicaPrice;
  monthlyGpuUsd: number | null;
  utilisation: number;
  usdPerMillionOutputTokens: number | null;
  /** Why no layout serves the inputs; null when one does. */
  refusal: string | null;
  /** Accepted but doubtful inputs, such as FP8 on a GPU without FP8 tensor cores. */
  warnings: string[];
  formulas: string[];
  notes: string[];
}

const GB = 1e9;

export function planCapacity(input: CapacityInput): CapacityPlan {
  const model = findModel(input.model);
  if (!model)
    throw new CapacityError('unknown_model', `unknown model '${input.model}' (see capacity --list)`);
  const gpu = findGpu(input.gpu);
  if (!gpu) throw new CapacityError('unknown_gpu', `unknown GPU '${input.gpu}' (see capacity --list)`);
  if (!(input.contextTokens > 0)) throw new Error('context must be a positive number of tokens');
  if (!(input.concurrency > 0)) throw new Error('concurrency must be positive');
  if (input.contextTokens > model.contextLength)
    throw new CapacityError(
      'context_exceeds_window',
      `context ${input.contextTokens} exceeds ${model.name}'s ${model.contextLength}-token window (${model.source}); no engine serves it`,
    );
  const { request, requestSource } = requestShape(input);
  const util = input.gpuMemoryUtilization ?? 0.9;
  const activation = input.activationReserveGb ?? 2;
  const utilisation = input.utilisation ?? 0.6;
  const bandwidthEfficiency = input.bandwidthEfficiency ?? DEFAULT_BANDWIDTH_EFFICIENCY;
  const computeEfficiency = input.computeEfficiency ?? DEFAULT_COMPUTE_EFFICIENCY;
  const targets = hasLatencyTargets(input.latency) ? input.latency : null;

  const bpw = bytesPerWeight(input.quant);
  const weightsGb = (model.totalParamsB * 1e9 * bpw) / GB;
  const kvBytes = KV_DTYPE_BYTES[input.kvDtype];
  const perToken = kvBytesPerToken(model, kvBytes);
  const kvGb = (perToken * input.contextTokens * input.concurrency) / GB;

  const estimateAt = (tp: number, pp: number, concurrency: number) =>
    estimateStep({
      model,
      gpu,
      quant: input.quant,
      kvDtype: input.kvDtype,
      tensorParallel: tp,
      pipelineParallel: pp,
      concurrency,
      request,
      bandwidthEfficiency,
      computeEfficiency,
    });

  const compute = computeRate(gpu, input.quant);
  const throughputAt = (tp: number, pp: number, concurrency: number): CapacityThroughput => {
    const gpus = tp * pp;
    const estimate = estimateAt(tp, pp, concurrency);
    if (input.measuredTokensPerSecond !== undefined) {
      const prefillCeiling =
        (gpus * compute.tflopsPerGpu * 1e12 * computeEfficiency) / estimate.flopsPerPromptToken;
      return {
        outputTokensPerSecond: input.measuredTokensPerSecond,
        inputTokensPerSecond: prefillCeiling,
        basis: 'measured',
        explanation:
          `measured output tokens/s of one replica (switchyard bench); prompts are bounded by the replica's compute: ` +
          `${gpus} GPUs × ${compute.tflopsPerGpu} TFLOPS × ${computeEfficiency} ÷ ${estimate.flopsPerPromptToken.toExponential(3)} FLOPs per prompt token = ${Math.round(prefillCeiling)} prompt tokens/s`,
        estimate,
      };
    }
    return {
      outputTokensPerSecond: estimate.outputTokensPerSecond,
      inputTokensPerSecond: estimate.inputTokensPerSecond,
      basis: 'roofline-estimate',
      explanation:
        estimate.stepMs === null
          ? `roofline estimate, not a benchmark: prefill only, ${Math.round(estimate.inputTokensPerSecond)} prompt tokens/s`
          : `roofline estimate, not a benchmark: ${Math.round(estimate.outputTokensPerSecond)} output + ${Math.round(estimate.inputTokensPerSecond)} prompt tokens/s at concurrency ${concurrency}; ${bindingText(estimate)}`,
      estimate,
    };
  };
  const economicsOf = (tp: number, pp: number, concurrency: number): LayoutEconomics => {
    const gpus = tp * pp;
    const throughput = throughputAt(tp, pp, concurrency);
    const hourly = priceReplica(gpu, gpus, input.gpuHourlyUsd).gpuHourlyUsd;
    const tokenKind = throughput.outputTokensPerSecond > 0 ? 'output' : 'prompt';
    const rate = tokenKind === 'output' ? throughput.outputTokensPerSecond : throughput.inputTokensPerSecond;
    const replicas = input.load
      ? replicasForPeak(input.load, throughput.outputTokensPerSecond, throughput.inputTokensPerSecond)
      : null;
    return {
      throughput,
      gpuHourlyUsd: hourly,
      usdPerMillionTokens: (gpus * hourly * 1e6) / (rate * 3600 * utilisation),
      tokenKind,
      replicasForLoad: replicas,
      monthlyGpuUsdForLoad: replicas === null ? null : replicas * gpus * hourly * HOURS_PER_MONTH,
    };
  };

  const options = layoutsFor(model).map(({ tp, pp }): ParallelOption => {
    const gpus = tp * pp;
    const weightsPerGpuGb = weightsGb / gpus;
    const kvAvailablePerGpuGb = gpu.memoryGb * util - weightsPerGpuGb - activation;
    const perTokenPerGpu = (perToken * kvReplication(model, tp)) / gpus;
    const tokenCapacity =
      kvAvailablePerGpuGb > 0 ? Math.floor((kvAvailablePerGpuGb * GB) / perTokenPerGpu) : 0;
    const maxConcurrency = Math.floor(tokenCapacity / input.contextTokens);
    const cap = targets ? latencyCap((b) => estimateAt(tp, pp, b), targets, input.concurrency).cap : null;
    const concurrency = cap ?? input.concurrency;
    const fits = concurrency >= 1 && maxConcurrency >= concurrency;
    return {
      gpus,
      tensorParallel: tp,
      pipelineParallel: pp,
      weightsPerGpuGb,
      kvAvailablePerGpuGb,
      maxConcurrency,
      latencyCap: cap,
      concurrency,
      fits,
      economics: fits ? economicsOf(tp, pp, concurrency) : null,
    };
  });

  let layoutChoice: LayoutChoice | null;
  let forced: ParallelOption | undefined;
  let refusal: string | null = null;
  if (input.gpus !== undefined) {
    forced = options.find((o) => o.gpus === input.gpus);
    if (!forced)
      throw new CapacityError(
        'invalid_gpu_count',
        `--gpus ${input.gpus}: ${model.name} splits over ${options.map((o) => o.gpus).join(', ')} GPUs ` +
          `(tensor-parallel sizes ${validTensorParallelSizes(model).join(', ')} for ${model.attentionHeads} attention heads / ${model.kvHeads} KV heads, then pipeline stages)`,
      );
    layoutChoice = forced.fits ? givenLayout(forced, gpu.id) : null;
    if (!layoutChoice) {
      const smallest = options.find((o) => o.fits);
      refusal =
        `--gpus ${input.gpus}: ${whyNotFit(forced, { model, gpu, weightsGb, util, activation, input })}` +
        (smallest
          ? `; the smallest layout that fits is ${smallest.gpus} × ${gpu.id} (tensor parallel ${smallest.tensorParallel}${smallest.pipelineParallel > 1 ? ` × pipeline ${smallest.pipelineParallel}` : ''})`
          : '');
    }
  } else {
    layoutChoice = chooseLayout(options, {
      requestedConcurrency: input.concurrency,
      sizedForLoad: input.load !== undefined,
      hasLatencyTargets: targets !== null,
      gpuId: gpu.id,
      utilisation,
    });
    if (!layoutChoice)
      refusal = whyNothingFits(options, { model, gpu, weightsGb, util, activation, input, targets });
  }
  const chosen = layoutChoice?.option ?? null;
  const roomiest = options.reduce((best, o) => (o.maxConcurrency > best.maxConcurrency ? o : best));
  // A refused --gpus shows the layout asked for; with nothing asked, the one that holds the most
  // sequences, or the widest tried when none holds one.
  const fallback = roomiest.maxConcurrency > 0 ? roomiest : options[options.length - 1];
  const shown = chosen ?? forced ?? fallback;
  const shownLayout: CapacityPlan['shownLayout'] = chosen
    ? 'chosen'
    : forced
      ? 'given'
      : roomiest.maxConcurrency > 0
        ? 'holds-most'
        : 'widest';
  const effectiveConcurrency = chosen?.concurrency ?? input.concurrency;
  const totalGb = weightsGb + kvGb * kvReplication(model, shown.tensorParallel) + activation * shown.gpus;

  let latency: CapacityPlan['latency'] = null;
  if (targets) {
    const cap = latencyCap(
      (b) => estimateAt(shown.tensorParallel, shown.pipelineParallel, b),
      targets,
      input.concurrency,
    );
    latency = { targets, cap: cap.cap, explanation: `${cap.explanation} (on ${shown.gpus} × ${gpu.id})` };
  }

  const economics = chosen?.economics ?? null;
  const throughput = economics?.throughput ?? null;
  const price = priceReplica(gpu, shown.gpus, input.gpuHourlyUsd);
  const gpuHourlyUsd = price.gpuHourlyUsd;
  const gpus = chosen?.gpus ?? null;
  const monthlyGpuUsd = gpus === null ? null : gpus * gpuHourlyUsd * HOURS_PER_MONTH;
  const usdPerMillionOutputTokens = economics?.tokenKind === 'output' ? economics.usdPerMillionTokens : null;

  const warnings: string[] = [];
  if (compute.warning) warnings.push(compute.warning);

  const formulas = [
    `weights = ${model.totalParamsB}B params × ${bpw.toFixed(4)} B/param (${input.quant}: ${QUANTISATIONS[input.quant].explanation}) = ${weightsGb.toFixed(2)} GB` +
      (model.experts
        ? ` (MoE: all ${model.totalParamsB}B params are resident; ${model.activeParamsB}B are active per token)`
        : ''),
    `KV per token = ${kvFormula(model, kvBytes)}`,
    `KV for workload = ${perToken} B × context ${input.contextTokens} × concurrency ${input.concurrency} = ${kvGb.toFixed(2)} GB`,
    `KV room per GPU = ${gpu.memoryGb} GB × gpu_memory_utilization ${util} − activations ${activation} GB − weights ${weightsGb.toFixed(2)} GB ÷ ${shown.gpus} GPUs = ${shown.kvAvailablePerGpuGb.toFixed(2)} GB`,
    shown.kvAvailablePerGpuGb > 0
      ? `largest concurrency = floor(${shown.kvAvailablePerGpuGb.toFixed(2)} GB ÷ (${perToken} B × ${kvReplication(model, shown.tensorParallel)} copies ÷ ${shown.gpus} GPUs) ÷ ${input.contextTokens} tokens) = ${shown.maxConcurrency}`
      : `largest concurrency = 0: the weights leave no KV room on ${shown.gpus} × ${gpu.id}`,
  ];
  if (throughput) formulas.push(...throughput.estimate.formulas);
  if (usdPerMillionOutputTokens !== null && throughput && gpus !== null)
    formulas.push(
      `cost per 1M output tokens = ${gpus} GPUs × $${round4(gpuHourlyUsd)}/h × 1e6 ÷ (${throughput.outputTokensPerSecond.toFixed(0)} tokens/s × 3600 × utilisation ${utilisation}) = ${formatUsdCents(usdPerMillionOutputTokens)}`,
    );
  const notes = [
    `GB are 10^9 bytes; GPU memory is the marketed size (${gpu.memoryGb} GB).`,
    `Typical request: ${requestSource}.`,
    `Layouts tried: ${options.map((o) => o.gpus).join(', ')} GPUs (tensor-parallel sizes ${validTensorParallelSizes(model).join(', ')} for ${model.attentionHeads} attention heads / ${model.kvHeads} KV heads, then pipeline stages of the largest).`,
    `GPU price: ${price.explanation}.`,
    `Compute: ${compute.explanation}, ${compute.tflopsPerGpu} TFLOPS dense (${gpu.specSource}); efficiencies: bandwidth ${bandwidthEfficiency}, compute ${computeEfficiency}.`,
    `Architecture from ${model.source} (checked ${model.checked}).`,
  ];
  if (model.note) notes.push(model.note);
  if (latency) notes.push(`Latency: ${latency.explanation}; TTFT and end to end exclude queueing.`);
  if (layoutChoice) notes.push(`Layout: ${layoutChoice.explanation}.`);

  return {
    model,
    gpu,
    quant: input.quant,
    kvDtype: input.kvDtype,
    contextTokens: input.contextTokens,
    concurrency: input.concurrency,
    effectiveConcurrency,
    request,
    requestSource,
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
    shownGpus: shown.gpus,
    shownLayout,
    options,
    layoutChoice,
    compute,
    bandwidthEfficiency,
    computeEfficiency,
    latency,
    throughput,
    gpuHourlyUsd,
    gpuPriceSource:
      input.gpuHourlyUsd === undefined
        ? `${price.instance?.name ?? gpu.id}: ${gpu.priceSource}, checked ${gpu.checked}`
        : 'given',
    price,
    monthlyGpuUsd,
    utilisation,
    usdPerMillionOutputTokens,
    refusal,
    warnings,
    formulas,
    notes,
  };
}

function bindingText(e: StepEstimate): string {
  if (e.binding === 'prefill')
    return `prefill binds: the arriving prompts' compute (${round2(e.prefillMs)} ms) exceeds the decode step (${round2(Math.max(e.memoryMs, e.decodeComputeMs))} ms)`;
  if (e.binding === 'decode-compute')
    return `decode compute binds (${round2(e.decodeComputeMs)} ms per step)`;
  return `memory bandwidth binds the decode step (${round2(e.memoryMs)} ms), prefill adds ${round2(e.prefillMs)} ms`;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10000) / 10000;
