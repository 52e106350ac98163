import { describe, expect, test } from 'vitest';
import { planCapacity, type CapacityInput } from '../../src/capacity/plan-capacity.js';
import type { KvDtype, Quantisation } from '../../src/capacity/quantisation.js';

/**
 * Published serving figures for three families (dense 8B, dense 70B, MoE), with the setup each was
 * measured in. The planner's roofline, given the same model, GPUs, parallelism, batch and request
 * shape, must land within 2× of each. These are the figures docs/planner.md prints beside the
 * planner's own; see there for the full citations.
 */
interface Published {
  family: 'dense 8B' | 'dense 70B' | 'MoE';
  source: string;
  model: string;
  gpu: string;
  gpus: number;
  quant: Quantisation;
  kvDtype: KvDtype;
  concurrency: number;
  promptTokens: number;
  outputTokens: number;
  /** What was published: end-to-end latency of the batch, or output tokens/s of the server. */
  metric: 'e2e-ms' | 'output-tokens-per-second';
  value: number;
}

// vLLM's performance benchmark (benchmark_latency.py: batch 8, 32 prompt + 128 output tokens, bf16
// dummy weights; Llama 3 8B and 70B, the architectures of 3.1), Buildkite builds 9513 (H200) and
// 9523 (A100-SXM4-80GB);
// https://buildkite.com/vllm/performance-benchmark/builds/9513, .../9523, retrieved 2026-12-02.
const VLLM_H200 = 'vLLM performance benchmark, build 9513 (H200)';
const VLLM_A100 = 'vLLM performance benchmark, build 9523 (A100-SXM4-80GB)';
// NVIDIA NIM LLM benchmarking guide, Llama-3.3-70B-Instruct, NIM 1.8.0, 2 × H100 80GB fp8 TP2,
// 5000 prompt / 500 output tokens; https://docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance,
// retrieved 2026-12-02. Throughput is output tokens/s.
const NIM = 'NVIDIA NIM 1.8.0 benchmark (2 × H100, fp8, TP2)';
// SemiAnalysis InferenceX, DeepSeek-R1-0528 (DeepSeek V3 architecture) FP8 on 8 × H200, SGLang
// v0.5.7, TP8, 1024 prompt / 1024 output tokens, 2026-03-05;
// https://github.com/SemiAnalysisAI/InferenceX/issues/870. Output tokens/s per GPU × 8.
const INFERENCEX = 'SemiAnalysis InferenceX, SGLang 0.5.7 (8 × H200, TP8)';

const PUBLISHED: Published[] = [
  {
    family: 'dense 8B',
    source: VLLM_H200,
    model: 'llama-3.1-8b',
    gpu: 'h200',
    gpus: 1,
    quant: 'bf16',
    kvDtype: 'bf16',
    concurrency: 8,
    promptTokens: 32,
    outputTokens: 128,
    metric: 'e2e-ms',
    value: 834.06,
  },
  {
    family: 'dense 8B',
    source: VLLM_A100,
    model: 'llama-3.1-8b',
    gpu: 'a100-80gb',
    gpus: 1,
    quant: 'bf16',
    kvDtype: 'bf16',
    concurrency: 8,
    promptTokens: 32,
    outputTokens: 128,
    metric: 'e2e-ms',
    value: 1579.27,
  },
  {
    family: 'dense 70B',
    source: VLLM_H200,
    model: 'llama-3.1-70b',
    gpu: 'h200',
    gpus: 4,
    quant: 'bf16',
    kvDtype: 'bf16',
    concurrency: 8,
    promptTokens: 32,
    outputTokens: 128,
    metric: 'e2e-ms',
    value: 2075.08,
  },
  {
    family: 'dense 70B',
    source: VLLM_A100,
    model: 'llama-3.1-70b',
    gpu: 'a100-80gb',
    gpus: 4,
    quant: 'bf16',
    kvDtype: 'bf16',
    concurrency: 8,
    promptTokens: 32,
    outputTokens: 128,
    metric: 'e2e-ms',
    value: 3990.59,
  },
  {
    family: 'dense 70B',
    source: NIM,
    model: 'llama-3.3-70b',
    gpu: 'h100',
    gpus: 2,
    quant: 'fp8',
    kvDtype: 'fp8',
    concurrency: 1,
    promptTokens: 5000,
    outputTokens: 500,
    metric: 'output-tokens-per-second',
    value: 51.67,
  },
  {
    family: 'dense 70B',
    source: NIM,
    model: 'llama-3.3-70b',
    gpu: 'h100',
    gpus: 2,
    quant: 'fp8',
    kvDtype: 'fp8',
    concurrency: 25,
    promptTokens: 5000,
    outputTokens: 500,
    metric: 'output-tokens-per-second',
    value: 623.4,
  },
  {
    family: 'dense 70B',
    source: NIM,
    model: 'llama-3.3-70b',
    gpu: 'h100',
    gpus: 2,
    quant: 'fp8',
    kvDtype: 'fp8',
    concurrency: 50,
    promptTokens: 5000,
    outputTokens: 500,
    metric: 'output-tokens-per-second',
    value: 814.37,
  },
  {
    family: 'MoE',
    source: VLLM_H200,
    model: 'mixtral-8x7b',
    gpu: 'h200',
    gpus: 2,
    quant: 'bf16',
    kvDtype: 'bf16',
    concurrency: 8,
    promptTokens: 32,
    outputTokens: 128,
    metric: 'e2e-ms',
    value: 1921.1,
  },
  {
    family: 'MoE',
    source: VLLM_A100,
    model: 'mixtral-8x7b',
    gpu: 'a100-80gb',
    gpus: 2,
    quant: 'bf16',
    kvDtype: 'bf16',
    concurrency: 8,
    promptTokens: 32,
    outputTokens: 128,
    metric: 'e2e-ms',
    value: 3643.84,
  },
  {
    family: 'MoE',
    source: INFERENCEX,
    model: 'deepseek-v3',
    gpu: 'h200',
    gpus: 8,
    quant: 'fp8',
    kvDtype: 'bf16',
    concurrency: 8,
    promptTokens: 1024,
    outputTokens: 1024,
    metric: 'output-tokens-per-second',
    value: 74.6 * 8,
  },
  {
    family: 'MoE',
    source: INFERENCEX,
    model: 'deepseek-v3',
    gpu: 'h200',
    gpus: 8,
    quant: 'fp8',
    kvDtype: 'bf16',
    concurrency: 32,
    promptTokens: 1024,
    outputTokens: 1024,
    metric: 'output-tokens-per-second',
    value: 151.1 * 8,
  },
  {
    family: 'MoE',
    source: INFERENCEX,
    model: 'deepseek-v3',
    gpu: 'h200',
    gpus: 8,
    quant: 'fp8',
    kvDtype: 'bf16',
    concurrency: 64,
    promptTokens: 1024,
    outputTokens: 1024,
    metric: 'output-tokens-per-second',
    value: 223.6 * 8,
  },
];

function planFor(p: Published) {
  const input: CapacityInput = {
    model: p.model,
    gpu: p.gpu,
    quant: p.quant,
    kvDtype: p.kvDtype,
    contextTokens: p.promptTokens + p.outputTokens,
    concurrency: p.concurrency,
    gpus: p.gpus,
    request: { promptTokens: p.promptTokens, outputTokens: p.outputTokens },
    // Engines size their KV pool by the tokens a batch holds; these runs were not memory-bound.
    gpuMemoryUtilization: 0.95,
  };
  return planCapacity(input);
}

describe('the throughput model against published serving figures (within 2×)', () => {
  test.each(
    PUBLISHED.map(
      (p) =>
        [
          `${p.family}: ${p.model} on ${p.gpus} × ${p.gpu}, batch ${p.concurrency}, ${p.promptTokens}/${p.outputTokens} (${p.source})`,
          p,
        ] as const,
    ),
  )('%s', (_name, p) => {
    const plan = planFor(p);
    expect(plan.refusal).toBeNull();
    expect(plan.gpusNeeded).toBe(p.gpus);
    const estimate = plan.throughput?.estimate;
    const modelled = p.metric === 'e2e-ms' ? estimate?.e2eMs : plan.throughput?.outputTokensPerSecond;
    expect(modelled).toBeGreaterThan(p.value / 2);
    expect(modelled).toBeLessThan(p.value * 2);
  });

  test('DeepSeek V3 at batch 64 on 8 × H200 reads most of its experts each step, not just the active ones', () => {
    const p = PUBLISHED.find((x) => x.model === 'deepseek-v3' && x.concurrency === 64);
    if (!p) throw new Error('missing case');
    const plan = planFor(p);
    // 64 decode + 64 prompt tokens per step: 1 − (1 − 8/256)^128 of the routed experts
    expect(plan.throughput?.estimate.expertCoverage).toBeCloseTo(1 - (1 - 8 / 256) ** 128, 9);
    expect(plan.throughput?.estimate.weightsReadGb).toBeGreaterThan(600);
  });
});
