import { describe, expect, test } from 'vitest';
import { runCli } from '../planner/cli-harness.js';

describe('switchyard capacity', () => {
  test('--json prints memory, GPUs and concurrency', async () => {
    const r = await runCli([
      'capacity',
      '--model',
      'meta-llama/Llama-3.1-70B-Instruct',
      '--quant',
      'bf16',
      '--kv-dtype',
      'bf16',
      '--gpu',
      'h100',
      '--context',
      '8192',
      '--concurrency',
      '8',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      model: 'llama-3.1-70b',
      weights_gb: 141.2,
      kv_bytes_per_token: 327_680,
      kv_gb: 21.47,
      gpus_needed: 4,
      max_concurrency: 51,
    });
    expect(typeof j.total_gb).toBe('number');
  });

  test('DeepSeek V3 latent attention with an fp8 cache', async () => {
    const r = await runCli([
      'capacity',
      '--model',
      'deepseek-v3',
      '--quant',
      'fp8',
      '--kv-dtype',
      'fp8',
      '--gpu',
      'h200',
      '--json',
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.kv_bytes_per_token).toBe((512 + 64) * 61);
    expect(j.weights_gb).toBe(671);
  });

  test('a measured throughput gives the cost per million output tokens', async () => {
    const r = await runCli([
      'capacity',
      '--model',
      'llama-3.1-8b',
      '--gpu',
      'l4',
      '--quant',
      'fp8',
      '--tokens-per-second',
      '1000',
      '--gpu-hourly-usd',
      '0.8',
      '--utilisation',
      '50%',
      '--concurrency',
      '4',
      '--json',
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.throughput_basis).toBe('measured');
    expect(j.usd_per_million_output_tokens).toBeCloseTo(0.444, 3);
  });

  test('the terminal report explains its figures', async () => {
    const r = await runCli(['capacity', '--model', 'mixtral-8x7b', '--gpu', 'a100-80gb']);
    expect(r.stdout).toContain('KV per token = 2 × layers 32 × kv_heads 8 × head_dim 128 × 2 B');
    expect(r.stdout).toContain('MoE');
  });

  test.each([
    [['--model', 'gpt-5', '--gpu', 'h100']],
    [['--model', 'llama-3.1-8b', '--gpu', 'tpu']],
    [['--model', 'llama-3.1-8b', '--gpu', 'h100', '--quant', 'int3']],
    [['--gpu', 'h100']],
  ])('bad flags are a usage error: %j', async (args) => {
    expect((await runCli(['capacity', ...args])).code).toBe(2);
  });
});
