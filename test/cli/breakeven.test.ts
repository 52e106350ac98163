import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../planner/cli-harness.js';

describe('switchyard breakeven', () => {
  test('--json prints the monthly figures and the crossover', async () => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '50M',
      '--api-usd-per-million',
      '6',
      '--self-hosted-monthly-usd',
      '3500',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      api_monthly_usd: 300,
      self_hosted_monthly_usd: 3500,
      savings_usd: -3200,
      savings_pct: expect.closeTo(-1066.67, 2),
      breakeven_tokens_per_month: 583_333_333,
    });
  });

  test('GPU inputs, input/output prices, hybrid and payback', async () => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '2B',
      '--input-share',
      '80%',
      '--api-usd-per-million-input',
      '2.5',
      '--api-usd-per-million-output',
      '10',
      '--gpu',
      'h100',
      '--gpus',
      '2',
      '--gpu-hourly-usd',
      '2.5',
      '--fixed-monthly-usd',
      '500',
      '--engineer-hours-per-month',
      '15',
      '--engineer-hourly-usd',
      '100',
      '--ops-overhead',
      '10%',
      '--hybrid-strong-share',
      '0.2',
      '--migration-usd',
      '20000',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // 1.6B × $2.50 + 0.4B × $10 = $8,000; self-hosted 3,650 + 500 + 1,500 + 415 = $6,065
    expect(j.api_monthly_usd).toBe(8000);
    expect(j.self_hosted_monthly_usd).toBe(6065);
    expect(j.savings_usd).toBe(1935);
    expect(j.payback_months).toBeCloseTo(20000 / 1935, 2);
    // hybrid: 20% of the API bill ($1,600) + the self-hosted fleet ($6,065)
    expect(j.hybrid_monthly_usd).toBe(7665);
    expect(j.breakeven_tokens_per_month).toBe(Math.round(6065 / 4e-6));
  });

  test('--api-model prices from the built-in catalogue', async () => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '1B',
      '--input-share',
      '1',
      '--api-model',
      'gpt-4o',
      '--self-hosted-monthly-usd',
      '1000',
      '--json',
    ]);
    expect(JSON.parse(r.stdout).api_monthly_usd).toBe(2500);
  });

  test('the hybrid share can come from a router evaluation', async () => {
    const evalFile = join(import.meta.dirname, '../fixtures/usage/router-eval.json');
    const args = [
      'breakeven',
      '--tokens-per-month',
      '100M',
      '--api-usd-per-million',
      '10',
      '--self-hosted-monthly-usd',
      '500',
      '--router-eval',
      evalFile,
      '--json',
    ];
    // CPT(80%) = 0.47: 47M tokens stay on the API at $10/M = $470, plus the $500 fleet
    const j = JSON.parse((await runCli(args)).stdout);
    expect(j.hybrid_strong_share).toBe(0.47);
    expect(j.hybrid_monthly_usd).toBe(970);
    const j50 = JSON.parse((await runCli([...args, '--quality-target', '50'])).stdout);
    expect(j50.hybrid_strong_share).toBe(0.22);
  });

  test('--model sizes the replica with the capacity planner', async () => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '3B',
      '--api-model',
      'gpt-4o',
      '--model',
      'llama-3.1-70b',
      '--quant',
      'bf16',
      '--gpu',
      'h100',
      '--gpu-hourly-usd',
      '2',
      '--concurrency',
      '8',
      '--replica-tokens-per-second',
      '800',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // 70B in bf16 needs 4 H100s (see the capacity tests): 4 × $2 × 730 h per replica
    expect(j.self_hosted.gpu_usd % (4 * 2 * 730)).toBeCloseTo(0, 6);
    // 3B tokens, 25% output → 750M/month = 285.4 tokens/s ÷ (800 × 0.7) → 1 replica
    expect(j.self_hosted.replicas).toBe(1);
    expect(j.self_hosted_monthly_usd).toBe(5840);
  });

  test('the terminal report shows the formulas behind the figures', async () => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '50M',
      '--api-usd-per-million',
      '6',
      '--self-hosted-monthly-usd',
      '3500',
    ]);
    expect(r.stdout).toContain('$300');
    expect(r.stdout).toContain('break-even = self-hosted cost ÷ API price per token');
  });

  test.each([
    [['--api-usd-per-million', '6', '--self-hosted-monthly-usd', '1']],
    [['--tokens-per-month', 'lots', '--api-usd-per-million', '6', '--self-hosted-monthly-usd', '1']],
    [['--tokens-per-month', '1M', '--self-hosted-monthly-usd', '1']],
    [['--tokens-per-month', '1M', '--api-model', 'no-such-model', '--self-hosted-monthly-usd', '1']],
    [['--tokens-per-month', '1M', '--api-usd-per-million', '6']],
  ])('bad flags are a usage error: %j', async (args) => {
    const r = await runCli(['breakeven', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toBe('');
  });
});
