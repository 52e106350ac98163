import { describe, expect, test } from 'vitest';
import { CapacityError } from '../../src/capacity/capacity-error.js';
import { expertCoverage, routedExpertParamsB } from '../../src/capacity/expert-coverage.js';
import { estimateStep, flopsPerToken, type StepInputs } from '../../src/capacity/estimate-step.js';
import { findGpu } from '../../src/capacity/gpu-catalogue.js';
import { findModel } from '../../src/capacity/model-catalogue.js';
import { planCapacity, type CapacityInput } from '../../src/capacity/plan-capacity.js';
import { priceReplica } from '../../src/capacity/price-replica.js';

const model = (id: string) => {
  const m = findModel(id);
  if (!m) throw new Error(id);
  return m;
};
const gpu = (id: string) => {
  const g = findGpu(id);
  if (!g) throw new Error(id);
  return g;
};

const step = (over: Partial<StepInputs> & Pick<StepInputs, 'model' | 'gpu'>) =>
  estimateStep({
    quant: 'bf16',
    kvDtype: 'bf16',
    tensorParallel: 1,
    pipelineParallel: 1,
    concurrency: 1,
    request: { promptTokens: 1000, outputTokens: 1000 },
    bandwidthEfficiency: 0.6,
    computeEfficiency: 0.5,
    ...over,
  });

describe('mixture-of-experts weights read per step', () => {
  test('routed parameters follow from total = shared + routed and active = shared + k/E × routed', () => {
    // DeepSeek V3: (671 − 37) ÷ (1 − 8/256) = 654.45B routed; 58 MoE layers × 256 experts × 3 × 7168 × 2048
    expect(routedExpertParamsB(model('deepseek-v3'))).toBeCloseTo(634 / (1 - 8 / 256), 9);
    expect(routedExpertParamsB(model('deepseek-v3'))).toBeCloseTo((58 * 256 * 3 * 7168 * 2048) / 1e9, -1);
    // Mixtral 8x7B: (46.7 − 12.9) ÷ (1 − 2/8) = 45.07B = 32 layers × 8 experts × 3 × 4096 × 14336
    expect(routedExpertParamsB(model('mixtral-8x7b'))).toBeCloseTo((32 * 8 * 3 * 4096 * 14336) / 1e9, 0);
    expect(routedExpertParamsB(model('llama-3.1-8b'))).toBe(0);
  });

  test.each([
    ['deepseek-v3', 1, 8 / 256],
    ['deepseek-v3', 64, 1 - (1 - 8 / 256) ** 64],
    ['qwen3-235b-a22b', 64, 1 - (1 - 8 / 128) ** 64],
    ['mixtral-8x7b', 8, 1 - (6 / 8) ** 8],
  ])('%s: %i tokens touch 1 − (1 − k/E)^tokens of the experts', (id, tokens, share) => {
    expect(expertCoverage(model(id), tokens)).toBeCloseTo(share, 12);
  });

  test('a dense model reads all its weights; a MoE at batch 1 reads about its active parameters', () => {
    const dense = step({
      model: model('llama-3.1-8b'),
      gpu: gpu('h100'),
      request: { promptTokens: 1, outputTokens: 1 },
    });
    expect(dense.weightsReadGb).toBeCloseTo(8.03 * 2, 6);
    const moe = step({
      model: model('deepseek-v3'),
      gpu: gpu('h200'),
      quant: 'fp8',
      tensorParallel: 8,
      request: { promptTokens: 1, outputTokens: 1000 },
    });
    // one decode token plus a thousandth of a prompt token: close to the 37B active parameters
    expect(moe.weightsReadGb).toBeGreaterThan(37);
    expect(moe.weightsReadGb).toBeLessThan(40);
  });
});

describe('KV cache reads per tensor-parallel rank', () => {
  test('a latent (MLA) cache is read on every rank, so TP 8 reads it 8 times', () => {
    const at = (tp: number) =>
      step({
        model: model('deepseek-v3'),
        gpu: gpu('h200'),
        quant: 'fp8',
        tensorParallel: tp,
        concurrency: 16,
      });
    const perSequence = 16 * (1000 + 500) * (512 + 64) * 61 * 2;
    expect(at(8).kvReadGb).toBeCloseTo((perSequence * 8) / 1e9, 9);
    expect(at(1).kvReadGb).toBeCloseTo(perSequence / 1e9, 9);
  });

  test('grouped-query KV heads are split across ranks: the total read stays one copy', () => {
    const at = (tp: number) =>
      step({ model: model('llama-3.1-70b'), gpu: gpu('h100'), tensorParallel: tp, concurrency: 16 });
    expect(at(8).kvReadGb).toBeCloseTo(at(1).kvReadGb, 9);
  });
});

describe('prefill', () => {
  test('an input-only load is bound by compute: GPUs × dense peak × efficiency ÷ FLOPs per prompt token', () => {
    const e = step({
      model: model('llama-3.3-70b'),
      gpu: gpu('h100'),
      quant: 'fp8',
      tensorParallel: 2,
      request: { promptTokens: 2000, outputTokens: 0 },
    });
    const flops = 2 * 70.6e9 + 4 * 80 * 1000 * 64 * 128;
    expect(flopsPerToken(model('llama-3.3-70b'), 1000)).toBeCloseTo(flops, 0);
    expect(e.outputTokensPerSecond).toBe(0);
    expect(e.inputTokensPerSecond).toBeCloseTo((2 * 1979e12 * 0.5) / flops, 6);
  });

  test('the prompts arriving during a step add their compute time to it', () => {
    const short = step({
      model: model('llama-3.1-8b'),
      gpu: gpu('h100'),
      concurrency: 32,
      request: { promptTokens: 100, outputTokens: 500 },
    });
    const long = step({
      model: model('llama-3.1-8b'),
      gpu: gpu('h100'),
      concurrency: 32,
      request: { promptTokens: 4000, outputTokens: 500 },
    });
    // 32 × 4000 ÷ 500 = 256 prompt tokens per step
    expect(long.prefillMs).toBeCloseTo(
      ((256 * flopsPerToken(model('llama-3.1-8b'), 2000)) / (989.5e12 * 0.5)) * 1000,
      6,
    );
    expect(long.stepMs).toBeCloseTo(Math.max(long.memoryMs, long.decodeComputeMs) + long.prefillMs, 9);
    expect(long.outputTokensPerSecond).toBeLessThan(short.outputTokensPerSecond * 0.75);
  });
});

describe('GPU dtype support', () => {
  test('FP8 on an A100 computes at the BF16 rate and says why', () => {
    const a100 = planCapacity({
      model: 'llama-3.1-8b',
      gpu: 'a100-80gb',
      quant: 'fp8',
      kvDtype: 'bf16',
      contextTokens: 4096,
      concurrency: 4,
    });
    expect(a100.compute).toMatchObject({ dtype: 'bf16', tflopsPerGpu: 312 });
    expect(a100.warnings.join(' ')).toMatch(/no FP8 tensor cores/);
    const h100 = planCapacity({
      model: 'llama-3.1-8b',
      gpu: 'h100',
      quant: 'fp8',
      kvDtype: 'bf16',
      contextTokens: 4096,
      concurrency: 4,
    });
    expect(h100.compute).toMatchObject({ dtype: 'fp8', tflopsPerGpu: 1979 });
    expect(h100.warnings).toEqual([]);
  });

  test.each([
    ['a10g', null],
    ['a100-40gb', null],
    ['l4', 242.5],
    ['l40s', 733],
    ['h200', 1979],
  ])('%s FP8 dense peak: %s', (id, fp8) => {
    expect(gpu(id).denseTflops.fp8).toBe(fp8);
  });
});

describe('pricing the instance a replica needs', () => {
  test.each([
    // AWS lists 1-, 4- and 8-GPU sizes: each replica pays the per-GPU rate of the smallest that holds it
    ['l4', 1, 0.8048, 'g6.xlarge'],
    ['l4', 2, 4.6016 / 4, 'g6.12xlarge'],
    ['l4', 4, 4.6016 / 4, 'g6.12xlarge'],
    ['a10g', 4, 5.672 / 4, 'g5.12xlarge'],
    ['a10g', 8, 16.288 / 8, 'g5.48xlarge'],
    ['l40s', 8, 30.13118 / 8, 'g6e.48xlarge'],
    // Lambda's price is an 8-GPU node's: a smaller replica shares the node
    ['h100', 2, 2.99, '8x H100 SXM'],
  ])('%s × %i GPUs → $%s per GPU on %s', (id, gpus, perGpu, instance) => {
    const p = priceReplica(gpu(id), gpus);
    expect(p.gpuHourlyUsd).toBeCloseTo(perGpu, 9);
    expect(p.instance?.name).toBe(instance);
    expect(p.explanation).toContain(gpu(id).checked);
  });

  test('a 4 × A10G replica costs the g5.12xlarge rate, not four single-GPU instances', () => {
    const plan = planCapacity({
      model: 'llama-3.1-8b',
      gpu: 'a10g',
      quant: 'bf16',
      kvDtype: 'bf16',
      contextTokens: 8192,
      concurrency: 40,
    });
    expect(plan.gpusNeeded).toBe(4);
    expect(plan.monthlyGpuUsd).toBeCloseTo(5.672 * 730, 6);
    expect(plan.gpuPriceSource).toContain('g5.12xlarge');
  });

  test('a given hourly price is used as given', () => {
    expect(priceReplica(gpu('l4'), 4, 1.5)).toMatchObject({ gpuHourlyUsd: 1.5, instance: null });
  });
});

describe('latency targets cap concurrency', () => {
  const base: CapacityInput = {
    model: 'llama-3.3-70b',
    gpu: 'h100',
    quant: 'fp8',
    kvDtype: 'fp8',
    contextTokens: 8192,
    concurrency: 64,
    request: { promptTokens: 1500, outputTokens: 500 },
  };

  // On four GPUs, which the target binds on; without --gpus a layout that meets it at 64 is chosen.
  test('an end-to-end target caps each replica where the next sequence would break it', () => {
    const free = planCapacity({ ...base, gpus: 4 });
    const capped = planCapacity({ ...base, gpus: 4, latency: { e2eP95Ms: 8_000 } });
    expect(capped.latency?.cap).toBeGreaterThan(1);
    expect(capped.latency?.cap).toBeLessThan(64);
    expect(capped.effectiveConcurrency).toBe(capped.latency?.cap);
    expect(capped.throughput?.estimate.e2eMs).toBeLessThanOrEqual(8_000);
    expect(capped.latency?.explanation).toMatch(
      /caps a replica at \d+ concurrent sequences, not the 64 requested/,
    );
    expect(capped.latency?.explanation).toMatch(/end to end [\d,.]+ ms > --e2e-p95-ms 8000/);
    expect(capped.throughput?.outputTokensPerSecond).toBeLessThan(
      free.throughput?.outputTokensPerSecond ?? 0,
    );
  });

  test('a per-user decode speed bounds the step time', () => {
    const p = planCapacity({ ...base, gpus: 2, latency: { outputTokensPerSecondPerUser: 40 } });
    expect(p.latency?.cap).toBeLessThan(64);
    expect(p.throughput?.estimate.perUserOutputTokensPerSecond).toBeGreaterThanOrEqual(40);
    const above = planCapacity({ ...base, gpus: 2, concurrency: (p.latency?.cap ?? 0) + 1 });
    expect(above.throughput?.estimate.perUserOutputTokensPerSecond).toBeLessThan(40);
  });

  test('a TTFT no replica can meet is refused with the figure that breaks it', () => {
    const p = planCapacity({ ...base, latency: { ttftP95Ms: 5 } });
    expect(p.gpusNeeded).toBeNull();
    expect(p.refusal).toMatch(/latency targets/);
  });
});

describe('impossible configurations are refused', () => {
  test('a context beyond the model window', () => {
    expect(() =>
      planCapacity({
        model: 'llama-3.1-8b',
        gpu: 'h100',
        quant: 'bf16',
        kvDtype: 'bf16',
        contextTokens: 1_000_000,
        concurrency: 1,
      }),
    ).toThrow(CapacityError);
  });

  test('--gpus too few for the weights: the refusal gives the fit', () => {
    const p = planCapacity({
      model: 'llama-3.3-70b',
      gpu: 'h100',
      quant: 'fp8',
      kvDtype: 'fp8',
      contextTokens: 8192,
      concurrency: 16,
      gpus: 1,
    });
    expect(p.gpusNeeded).toBeNull();
    expect(p.refusal).toContain('70.6 GB');
    expect(p.refusal).toContain('= 70 GB: the weights do not fit');
    expect(p.refusal).toContain('the smallest layout that fits is 2 × h100');
  });

  test('a GPU count no layout uses', () => {
    expect(() =>
      planCapacity({
        model: 'llama-3.1-8b',
        gpu: 'h100',
        quant: 'bf16',
        kvDtype: 'bf16',
        contextTokens: 8192,
        concurrency: 1,
        gpus: 3,
      }),
    ).toThrow(/splits over 1, 2, 4, 8, 16, 24, 32 GPUs/);
  });

  test('"no layout" names the layouts actually tried', () => {
    // Phi-3-medium's 10 KV heads allow tensor parallel 1 and 2 only; pipeline stages go up to 8 GPUs
    const p = planCapacity({
      model: 'phi-3-medium',
      gpu: 'l4',
      quant: 'bf16',
      kvDtype: 'bf16',
      contextTokens: 131072,
      concurrency: 16,
    });
    expect(p.gpusNeeded).toBeNull();
    expect(p.refusal).toContain('tried 1, 2, 4, 6, 8 GPUs');
    expect(p.refusal).not.toContain('32');
  });
});
