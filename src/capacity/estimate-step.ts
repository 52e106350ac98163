import { computeRate, type ComputeRate } from './compute-rate.js';
import { expertCoverage, paramsTouchedB } from './expert-coverage.js';
import type { GpuSpec } from './gpu-catalogue.js';
import { kvBytesPerToken, kvReplication } from './kv-cache.js';
import type { ModelArchitecture } from './model-catalogue.js';
import { KV_DTYPE_BYTES, bytesPerWeight, type KvDtype, type Quantisation } from './quantisation.js';

/** The request every concurrent sequence is assumed to be. */
export interface RequestShape {
  promptTokens: number;
  outputTokens: number;
}

export interface StepInputs {
  model: ModelArchitecture;
  gpu: GpuSpec;
  quant: Quantisation;
  kvDtype: KvDtype;
  tensorParallel: number;
  pipelineParallel: number;
  /** Sequences decoding together on one replica. */
  concurrency: number;
  request: RequestShape;
  /** Share of peak memory bandwidth a decode step achieves. */
  bandwidthEfficiency: number;
  /** Share of the dense tensor-core peak a forward pass achieves (model FLOPs utilisation). */
  computeEfficiency: number;
}

export interface StepEstimate {
  concurrency: number;
  request: RequestShape;
  compute: ComputeRate;
  /** Decode step: weights touched and KV read, or the decode FLOPs, whichever takes longer. */
  memoryMs: number;
  decodeComputeMs: number;
  /** Compute time of the prompts that arrive per decode step (B × prompt ÷ output tokens of them). */
  prefillMs: number;
  /** One decode step of the whole batch, with its share of prefill; null when nothing is decoded. */
  stepMs: number | null;
  weightsReadGb: number;
  kvReadGb: number;
  /** Share of routed experts a step touches; null for dense models. */
  expertCoverage: number | null;
  flopsPerPromptToken: number;
  outputTokensPerSecond: number;
  /** Prompt tokens per second at this request shape (the prefill-only ceiling when there is no output). */
  inputTokensPerSecond: number;
  /** Time to first token without queueing: the prompt's own prefill plus one step of the batch. */
  ttftMs: number;
  /** Time to first token + (output − 1) decode steps. */
  e2eMs: number;
  /** What one user sees: 1000 ÷ step time. */
  perUserOutputTokensPerSecond: number | null;
  /** Which part of the step is the larger: `decode` (memory or decode FLOPs) or `prefill`. */
  binding: 'decode-memory' | 'decode-compute' | 'prefill';
  formulas: string[];
}

const GB = 1e9;

/**
 * FLOPs to run one token through the model having `attended` tokens of context: 2 per active
 * parameter (one multiply, one add) plus attention, QKᵀ and AV over the attended tokens,
 * 4 × layers × attended × heads × head_dim.
 */
export function flopsPerToken(model: ModelArchitecture, attended: number): number {
  return 2 * model.activeParamsB * 1e9 + 4 * model.layers * attended * model.attentionHeads * model.headDim;
}

/**
 * A roofline of one replica serving `concurrency` sequences of one request shape with continuous
 * batching. Each decode step reads the weights its tokens touch (all of a dense model; the shared
 * part and the expected touched experts of a MoE) and every sequence's KV cache, on every rank that
 * holds a copy, or runs the decode FLOPs, whichever is slower; the prompts that arrive while the
 * batch decodes add their compute time to the step, because prefill is compute-bound and shares the
 * GPUs with decode. With pipeline stages, each stage re-reads its weights for each of the
 * `pipeline` micro-batches of a step.
 */
export function estimateStep(input: StepInputs): StepEstimate {
  const { model, gpu, quant, request } = input;
  const tp = input.tensorParallel;
  const pp = input.pipelineParallel;
  const gpus = tp * pp;
  const batch = input.concurrency;
  const { promptTokens: prompt, outputTokens: output } = request;
  const compute = computeRate(gpu, quant);
  const bandwidth = gpu.memoryBandwidthGbPerS * GB * input.bandwidthEfficiency;
  const flopsPerSecond = compute.tflopsPerGpu * 1e12 * input.computeEfficiency;
  const bpw = bytesPerWeight(quant);
  const kvPerToken = kvBytesPerToken(model, KV_DTYPE_BYTES[input.kvDtype]);
  const copies = kvReplication(model, tp);

  const promptFlops = flopsPerToken(model, prompt / 2);
  // One prompt alone: its FLOPs on the tensor-parallel group (stages run one after another), or
  // reading the weights its tokens touch, whichever is slower.
  const soloPrefillMs =
    Math.max(
      (prompt * promptFlops) / (tp * flopsPerSecond),
      (paramsTouchedB(model, prompt) * 1e9 * bpw) / (tp * bandwidth),
    ) * 1000;
  const formulas: string[] = [
    `FLOPs per prompt token = 2 × ${model.activeParamsB}B active params + 4 × layers ${model.layers} × ${prompt / 2} avg attended × heads ${model.attentionHeads} × head_dim ${model.headDim} = ${sci(promptFlops)}`,
    `compute = ${gpus} GPUs × ${compute.tflopsPerGpu} TFLOPS (${compute.explanation}) × efficiency ${input.computeEfficiency} = ${sci(gpus * flopsPerSecond)} FLOP/s`,
  ];

  if (output === 0) {
    // Prompts alone are compute-bound: the replica's FLOPs set the prompt rate whatever the
    // concurrency, and `concurrency` prompts in flight share them, so each waits for the others.
    const inputTokensPerSecond = (gpus * flopsPerSecond) / promptFlops;
    const sharedPrefillMs = soloPrefillMs * batch;
    formulas.push(
      `prefill only: ${sci(gpus * flopsPerSecond)} FLOP/s ÷ ${sci(promptFlops)} FLOPs per prompt token = ${Math.round(inputTokensPerSecond)} prompt tokens/s`,
    );
    return {
      concurrency: batch,
      request,
      compute,
      memoryMs: 0,
      decodeComputeMs: 0,
      prefillMs: soloPrefillMs,
      stepMs: null,
      weightsReadGb: 0,
      kvReadGb: 0,
      expertCoverage: null,
      flopsPerPromptToken: promptFlops,
      outputTokensPerSecond: 0,
      inputTokensPerSecond,
      ttftMs: sharedPrefillMs,
      e2eMs: sharedPrefillMs,
      perUserOutputTokensPerSecond: null,
      binding: 'prefill',
      formulas,
    };
  }

  const promptsPerStep = (batch * prompt) / output;
  const microBatch = batch / pp;
  const tokensPerMicroBatch = microBatch * (1 + prompt / output);
  const weightsBytes = paramsTouchedB(model, tokensPerMicroBatch) * 1e9 * bpw;
  const avgContext = prompt + output / 2;
  const kvBytes = batch * avgContext * kvPerToken * copies;
  const memoryMs = ((weightsBytes + kvBytes / pp) / (tp * bandwidth)) * 1000;
  const decodeFlops = flopsPerToken(model, avgContext);
  const decodeComputeMs = ((batch * decodeFlops) / (gpus * flopsPerSecond)) * 1000;
  const prefillMs = ((promptsPerStep * promptFlops) / (gpus * flopsPerSecond)) * 1000;
  const decodeMs = Math.max(memoryMs, decodeComputeMs);
  const stepMs = decodeMs + prefillMs;
  const outputTokensPerSecond = (batch / stepMs) * 1000;
  const ttftMs = soloPrefillMs + stepMs;
  const coverage = model.experts ? expertCoverage(model, tokensPerMicroBatch) : null;

  formulas.push(
    (coverage === null
      ? `weights read per step = ${model.totalParamsB}B params × ${bpw} B`
      : `weights read per step = shared + routed experts × coverage ${round3(coverage)} (1 − (1 − ${model.experts?.activePerToken}/${model.experts?.total})^${round1(tokensPerMicroBatch)} tokens) × ${bpw} B`) +
      ` = ${round2(weightsBytes / GB)} GB${pp > 1 ? ` per micro-batch of ${round1(microBatch)}, re-read by each of ${pp} stages` : ''}`,
    `KV read per step = ${batch} sequences × ${avgContext} avg tokens (prompt ${prompt} + output ${output} ÷ 2) × ${kvPerToken} B${copies !== 1 ? ` × ${round2(copies)} copies (one per tensor-parallel rank that holds it)` : ''} = ${round2(kvBytes / GB)} GB`,
    `memory time = (${round2(weightsBytes / GB)} GB + ${round2(kvBytes / GB)} GB${pp > 1 ? ` ÷ ${pp} stages` : ''}) ÷ (${tp} GPUs × ${gpu.memoryBandwidthGbPerS} GB/s × efficiency ${input.bandwidthEfficiency}) = ${round2(memoryMs)} ms`,
    `decode compute = ${batch} × ${sci(decodeFlops)} FLOPs ÷ ${sci(gpus * flopsPerSecond)} FLOP/s = ${round2(decodeComputeMs)} ms`,
    `prefill per step = ${batch} × ${prompt} ÷ ${output} = ${round1(promptsPerStep)} prompt tokens × ${sci(promptFlops)} FLOPs ÷ ${sci(gpus * flopsPerSecond)} FLOP/s = ${round2(prefillMs)} ms`,
    `step = max(memory ${round2(memoryMs)}, decode compute ${round2(decodeComputeMs)}) + prefill ${round2(prefillMs)} = ${round2(stepMs)} ms → ${batch} × 1000 ÷ ${round2(stepMs)} = ${Math.round(outputTokensPerSecond)} output tokens/s`,
  );

  return {
    concurrency: batch,
    request,
    compute,
    memoryMs,
    decodeComputeMs,
    prefillMs,
    stepMs,
    weightsReadGb: weightsBytes / GB,
    kvReadGb: kvBytes / GB,
    expertCoverage: coverage,
    flopsPerPromptToken: promptFlops,
    outputTokensPerSecond,
    inputTokensPerSecond: (outputTokensPerSecond * prompt) / output,
    ttftMs,
    e2eMs: ttftMs + (output - 1) * stepMs,
    perUserOutputTokensPerSecond: 1000 / stepMs,
    binding:
      prefillMs > decodeMs ? 'prefill' : memoryMs >= decodeComputeMs ? 'decode-memory' : 'decode-compute',
    formulas,
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** 1.23e14 style, for FLOP counts. */
function sci(n: number): string {
  return n.toExponential(3).replace('e+', 'e');
}
