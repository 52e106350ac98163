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

  test('DeepSeek V3 on 8 × H200 at batch 64: a few thousand tokens/s, not tens of thousands', async () => {
    const r = await runCli([
      'capacity',
      '--model',
      'deepseek-v3',
      '--gpu',
      'h200',
      '--quant',
      'fp8',
      '--kv-dtype',
      'bf16',
      '--concurrency',
      '64',
      '--prompt-tokens',
      '1024',
      '--output-tokens',
      '1024',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // SemiAnalysis InferenceX: 223.6 output tokens/s per GPU × 8 with SGLang at this setup
    expect(j.output_tokens_per_second).toBeGreaterThan((223.6 * 8) / 2);
    expect(j.output_tokens_per_second).toBeLessThan(223.6 * 8 * 2);
    expect(j.expert_coverage).toBeGreaterThan(0.9);
    expect(j.binding).toBe('decode-memory');
  });

  test("the issue's DeepSeek command plans on the default request shape and says so", async () => {
    const r = await runCli([
      'capacity',
      '--model',
      'deepseek-v3',
      '--gpu',
      'h200',
      '--quant',
      'fp8',
      '--kv-dtype',
      'bf16',
      '--concurrency',
      '64',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Typical request                6,144 prompt + 2,048 output tokens');
    const tps = Number(/Throughput\s+([\d,]+) output tokens\/s/.exec(r.stdout)?.[1]?.replace(/,/g, ''));
    expect(tps).toBeGreaterThan(500);
    expect(tps).toBeLessThan(5000);
  });

  test('a context beyond the model window is refused, not planned on 32 GPUs', async () => {
    const r = await runCli(['capacity', '--model', 'llama-3.1-8b', '--gpu', 'h100', '--context', '1000000']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("exceeds Llama 3.1 8B's 131072-token window");
  });

  test('"does not fit" exits 1 with the reason, after the table that shows it', async () => {
    const r = await runCli(['capacity', '--model', 'llama-3.1-405b', '--gpu', 'l4', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).refused).toMatch(/tried 1, 2, 4, 8, 16, 24, 32 GPUs/);
    expect(r.stderr).toMatch(/the weights do not fit/);
  });

  test('no layout: the message names the layouts tried, not "up to 32"', async () => {
    const r = await runCli(['capacity', '--model', 'phi-3-medium', '--gpu', 'l4', '--context', '131072']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tried 1, 2, 4, 6, 8 GPUs');
    expect(r.stderr).not.toContain('32 × l4');
  });

  test('--gpus fewer than the weights need is refused with the fit', async () => {
    const r = await runCli([
      'capacity',
      '--model',
      'llama-3.3-70b',
      '--quant',
      'fp8',
      '--gpu',
      'h100',
      '--gpus',
      '1',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('70 GB: the weights do not fit');
  });

  test('FP8 on GPUs without FP8 tensor cores is planned at the BF16 rate, with a warning', async () => {
    for (const g of ['a100-80gb', 'a10g']) {
      const r = await runCli(['capacity', '--model', 'llama-3.1-8b', '--gpu', g, '--quant', 'fp8', '--json']);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.compute_dtype).toBe('bf16');
      expect(j.warnings[0]).toMatch(/no FP8 tensor cores/);
      expect(r.stderr).toMatch(/warning: .*no FP8 tensor cores/);
    }
  });

  test('a latency target caps concurrency and says why', async () => {
    const r = await runCli([
      'capacity',
      '--model',
      'llama-3.3-70b',
      '--quant',
      'fp8',
      '--kv-dtype',
      'fp8',
      '--gpu',
      'h100',
      '--concurrency',
      '64',
      '--prompt-tokens',
      '1500',
      '--output-tokens',
      '500',
      '--output-tokens-per-second-per-user',
      '40',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.latency.concurrency_cap).toBeLessThan(64);
    expect(j.effective_concurrency).toBe(j.latency.concurrency_cap);
    expect(j.output_tokens_per_second_per_user).toBeGreaterThanOrEqual(40);
    expect(j.latency.explanation).toMatch(/tokens\/s per user < --output-tokens-per-second-per-user 40/);
  });

  test.each([
    [['--utilisation', '0', '--tokens-per-second', '1000'], '--utilisation'],
    [['--tokens-per-second', '0'], '--tokens-per-second'],
    [['--gpu-memory-utilization', '0'], '--gpu-memory-utilization'],
    [['--gpu-memory-utilization', '90'], "'90', which is ambiguous: write 0.9 or 90%"],
    [['--concurrency', '0'], '--concurrency'],
    [['--context', '8k5'], '--context'],
    [['--compute-efficiency', '1.5'], '--compute-efficiency'],
    [['--quant', 'int3'], 'expects one of bf16, fp8, int8, awq-int4, gguf-q4_k_m'],
  ])('degenerate %j is refused naming the flag', async (args, message) => {
    const r = await runCli(['capacity', '--model', 'llama-3.1-8b', '--gpu', 'h100', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  test('shares: 1 is 100% and 90% is 0.9', async () => {
    const one = await runCli([
      'capacity',
      '--model',
      'llama-3.1-8b',
      '--gpu',
      'h100',
      '--utilisation',
      '1',
      '--json',
    ]);
    expect(JSON.parse(one.stdout).utilisation).toBe(1);
    const pct = await runCli([
      'capacity',
      '--model',
      'llama-3.1-8b',
      '--gpu',
      'h100',
      '--gpu-memory-utilization',
      '90%',
      '--json',
    ]);
    expect(JSON.parse(pct.stdout).gpu_memory_utilization).toBe(0.9);
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
