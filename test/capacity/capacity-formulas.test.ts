import { describe, expect, test } from 'vitest';
import { findGpu } from '../../src/capacity/gpu-catalogue.js';
import { kvBytesPerToken, validTensorParallelSizes } from '../../src/capacity/kv-cache.js';
import { MODEL_CATALOGUE, findModel } from '../../src/capacity/model-catalogue.js';
import { planCapacity } from '../../src/capacity/plan-capacity.js';
import { bytesPerWeight, type Quantisation } from '../../src/capacity/quantisation.js';

const model = (id: string) => {
  const m = findModel(id);
  if (!m) throw new Error(id);
  return m;
};

describe('KV cache bytes per token, from the architecture', () => {
  test.each([
    // GQA: 2 × layers × kv_heads × head_dim × bytes
    ['llama-3.1-70b', 2, 2 * 80 * 8 * 128 * 2],
    ['llama-3.1-8b', 2, 2 * 32 * 8 * 128 * 2],
    ['llama-3.1-405b', 1, 2 * 126 * 8 * 128 * 1],
    ['qwen2.5-7b', 2, 2 * 28 * 4 * 128 * 2],
    ['gemma-2-9b', 2, 2 * 42 * 8 * 256 * 2],
    // MHA: every head keeps its own K and V
    ['phi-3.5-mini', 2, 2 * 32 * 32 * 96 * 2],
    // MoE: attention is dense, experts do not change the cache
    ['mixtral-8x7b', 2, 2 * 32 * 8 * 128 * 2],
    ['qwen3-235b-a22b', 2, 2 * 94 * 4 * 128 * 2],
    // MLA: one latent of (kv_lora_rank 512 + qk_rope_head_dim 64) per layer, no factor 2
    ['deepseek-v3', 2, (512 + 64) * 61 * 2],
    ['deepseek-v3', 1, (512 + 64) * 61 * 1],
  ])('%s at %i byte(s) per value', (id, bytes, expected) => {
    expect(kvBytesPerToken(model(id), bytes)).toBe(expected);
  });
});

describe('weights by quantisation', () => {
  test.each<[Quantisation, number]>([
    ['bf16', 16.06],
    ['fp8', 8.03],
    ['int8', 8.03],
    // 4 bits + (16-bit scale + 4-bit zero) / 128 = 4.15625 bits
    ['awq-int4', (8.03 * 4.15625) / 8],
    // about 4.85 bits per weight
    ['gguf-q4_k_m', (8.03 * 4.85) / 8],
  ])('llama-3.1-8b in %s', (quant, gb) => {
    const plan = planCapacity({
      model: 'llama-3.1-8b',
      gpu: 'l4',
      quant,
      kvDtype: 'bf16',
      contextTokens: 4096,
      concurrency: 1,
    });
    expect(plan.weightsGb).toBeCloseTo(gb, 6);
    expect(plan.bytesPerWeight).toBe(bytesPerWeight(quant));
  });

  test('MoE weights count every expert', () => {
    const plan = planCapacity({
      model: 'mixtral-8x7b',
      gpu: 'h100',
      quant: 'bf16',
      kvDtype: 'bf16',
      contextTokens: 4096,
      concurrency: 1,
    });
    expect(plan.weightsGb).toBeCloseTo(46.7 * 2, 6);
  });
});

describe('tensor-parallel sizes divide the heads', () => {
  test.each([
    ['llama-3.1-70b', [1, 2, 4, 8]],
    ['qwen2.5-7b', [1, 2, 4]], // 28 heads
    ['phi-3-medium', [1, 2]], // 10 KV heads cannot be split 4 or 8 ways
    ['phi-3.5-mini', [1, 2, 4, 8]],
  ])('%s', (id, sizes) => {
    expect(validTensorParallelSizes(model(id))).toEqual(sizes);
  });
});

describe('GPUs needed and concurrency that fits', () => {
  test('Llama 3.1 70B bf16 on H100 needs 4 GPUs; the largest concurrency follows from the KV room', () => {
    const p = planCapacity({
      model: 'llama-3.1-70b',
      gpu: 'h100',
      quant: 'bf16',
      kvDtype: 'bf16',
      contextTokens: 8192,
      concurrency: 8,
    });
    // 141.2 GB of weights: on 2 GPUs 70.6 + 2 GB reserve > 80 × 0.9 = 72
    expect(p.weightsGb).toBeCloseTo(141.2, 6);
    expect(p.gpusNeeded).toBe(4);
    expect(p.tensorParallel).toBe(4);
    // per GPU: 72 − 35.3 − 2 = 34.7 GB; KV per token per GPU 327,680 / 4 = 81,920 B
    // floor(34.7e9 / 81,920) = 423,583 tokens → 51 sequences of 8192
    expect(p.maxConcurrency).toBe(51);
    expect(p.kvGb).toBeCloseTo((327_680 * 8192 * 8) / 1e9, 6);
  });

  test('the engine reserve decides fit: at 0.95 utilisation 2 GPUs suffice', () => {
    const p = planCapacity({
      model: 'llama-3.1-70b',
      gpu: 'h100',
      quant: 'bf16',
      kvDtype: 'bf16',
      contextTokens: 4096,
      concurrency: 2,
      gpuMemoryUtilization: 0.95,
    });
    expect(p.gpusNeeded).toBe(2);
  });

  test('a model too big for one node is split into pipeline stages of 8', () => {
    const p = planCapacity({
      model: 'llama-3.1-405b',
      gpu: 'h100',
      quant: 'bf16',
      kvDtype: 'bf16',
      contextTokens: 8192,
      concurrency: 4,
    });
    expect(p.gpusNeeded).toBe(16);
    expect(p.pipelineParallel).toBe(2);
  });

  test('cost per million output tokens from a measured throughput', () => {
    const p = planCapacity({
      model: 'llama-3.1-8b',
      gpu: 'l4',
      quant: 'fp8',
      kvDtype: 'fp8',
      contextTokens: 4096,
      concurrency: 8,
      gpuHourlyUsd: 0.8,
      utilisation: 0.5,
      measuredTokensPerSecond: 1000,
    });
    expect(p.gpusNeeded).toBe(1);
    expect(p.throughput?.basis).toBe('measured');
    // 1 GPU × $0.80/h × 1e6 ÷ (1000 tokens/s × 3600 s × 0.5)
    expect(p.usdPerMillionOutputTokens).toBeCloseTo(0.8e6 / (1000 * 3600 * 0.5), 9);
  });
});

describe('catalogues', () => {
  test('every model names its Hugging Face config as source', () => {
    for (const m of MODEL_CATALOGUE) {
      expect(m.source).toBe(`https://huggingface.co/${m.hfRepo}/blob/main/config.json`);
      expect(m.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  test('Hugging Face repo names are aliases', () => {
    expect(findModel('meta-llama/Llama-3.1-70B-Instruct')?.id).toBe('llama-3.1-70b');
    expect(findModel('Qwen/Qwen2.5-72B-Instruct')?.id).toBe('qwen2.5-72b');
    expect(findModel('deepseek-ai/DeepSeek-V3')?.id).toBe('deepseek-v3');
    expect(findGpu('H100')?.memoryGb).toBe(80);
    expect(findGpu('a100-80gb')?.memoryGb).toBe(80);
  });

  test.each([
    'llama-3.1-8b',
    'llama-3.1-70b',
    'llama-3.1-405b',
    'llama-3.3-70b',
    'mistral-7b',
    'mistral-small-3',
    'mixtral-8x7b',
    'mixtral-8x22b',
    'qwen2.5-7b',
    'qwen2.5-14b',
    'qwen2.5-32b',
    'qwen2.5-72b',
    'qwen3-8b',
    'qwen3-14b',
    'qwen3-32b',
    'qwen3-235b-a22b',
    'gemma-2-9b',
    'gemma-2-27b',
    'phi-3.5-mini',
    'phi-3-medium',
    'command-r-plus',
    'deepseek-v3',
  ])('%s is in the catalogue', (id) => {
    expect(findModel(id)).toBeDefined();
  });
});
