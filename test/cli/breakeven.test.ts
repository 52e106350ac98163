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
      '--replica-tokens-per-second',
      '1500',
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

  test('GPUs without a throughput source are refused: no savings claimed on unchecked capacity', async () => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '100B',
      '--api-model',
      'gpt-4o',
      '--gpu',
      'h100',
      '--gpus',
      '1',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('capacity is not checked without a replica throughput');
    expect(r.stderr).toContain('--model');
  });

  test('a flat self-hosted cost says capacity_checked: false', async () => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '100B',
      '--api-model',
      'gpt-4o',
      '--self-hosted-monthly-usd',
      '2000',
      '--json',
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.verdict.capacity_checked).toBe(false);
    expect(j.formulas.join('\n')).toContain('capacity: not checked');
  });

  test('--gpus 1 for a 70B fp8 model is refused with the memory fit', async () => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '100B',
      '--api-model',
      'gpt-4o',
      '--gpu',
      'h100',
      '--gpus',
      '1',
      '--model',
      'llama-3.3-70b',
      '--quant',
      'fp8',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('70.6 GB of Llama 3.3 70B fp8 weights');
    expect(r.stderr).toContain('= 70 GB: the weights do not fit');
    expect(r.stderr).toContain('the smallest layout that fits is 2 × h100');
  });

  test("--gpus above the minimum is costed with that layout's throughput", async () => {
    const args = [
      'breakeven',
      '--tokens-per-month',
      '10B',
      '--api-model',
      'gpt-4o',
      '--gpu',
      'h100',
      '--model',
      'llama-3.3-70b',
      '--quant',
      'fp8',
      '--json',
    ];
    const two = JSON.parse((await runCli(args)).stdout);
    const four = JSON.parse((await runCli([...args, '--gpus', '4'])).stdout);
    expect(two.replica.gpus).toBe(2);
    expect(four.replica.gpus).toBe(4);
    expect(four.replica.output_tokens_per_second).toBeGreaterThan(two.replica.output_tokens_per_second);
  });

  test('an input-only load is sized on prefill compute, not on its (zero) output', async () => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '100B',
      '--input-share',
      '1',
      '--api-model',
      'gpt-4o',
      '--gpu',
      'h100',
      '--model',
      'llama-3.3-70b',
      '--quant',
      'fp8',
      '--kv-dtype',
      'fp8',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // 100B prompt tokens a month = 38,052 tokens/s; one 2 × H100 replica prefills ~13,000 of them
    // at 50% of the FP8 peak, 70% of which is planned: 5 replicas, not 1
    expect(j.replica.gpus).toBe(2);
    expect(j.replica.binding).toBe('prefill');
    expect(j.self_hosted.replicas).toBe(
      Math.ceil(100e9 / (730 * 3600) / (j.replica.input_tokens_per_second * 0.7)),
    );
    expect(j.self_hosted.replicas).toBeGreaterThanOrEqual(4);
    expect(j.verdict.capacity_checked).toBe(true);
    expect(j.formulas.join('\n')).toMatch(/prompt tokens\/s ÷ \([\d.]+ prefilled per replica × 0.7\)/);
  });

  test('a latency target caps the replica --gpus fixes, and adds replicas', async () => {
    const args = [
      'breakeven',
      '--tokens-per-month',
      '50B',
      '--api-model',
      'gpt-4o',
      '--gpu',
      'h100',
      '--model',
      'llama-3.3-70b',
      '--quant',
      'fp8',
      '--kv-dtype',
      'fp8',
      '--concurrency',
      '64',
      '--prompt-tokens',
      '1500',
      '--output-tokens',
      '500',
      '--gpus',
      '4',
    ];
    const free = await runCli([...args, '--json']);
    const capped = await runCli([...args, '--e2e-p95-ms', '8000', '--json']);
    const j = JSON.parse(capped.stdout);
    expect(j.replica.latency_cap).toBeLessThan(64);
    expect(j.replica.effective_concurrency).toBe(j.replica.latency_cap);
    expect(j.self_hosted.replicas).toBeGreaterThan(JSON.parse(free.stdout).self_hosted.replicas);
    const text = await runCli([...args, '--e2e-p95-ms', '8000']);
    expect(text.stdout).toMatch(
      /latency: latency caps a replica at \d+ concurrent sequences, not the 64 requested/,
    );
  });

  test.each([
    [['--max-utilisation', '0'], '--max-utilisation'],
    [['--peak-to-mean', '0'], '--peak-to-mean'],
    [['--peak-to-mean', '0.5'], 'a peak is never below the mean'],
    [['--input-share', '2'], "--input-share got '2', which is ambiguous: write 0.02 or 2%"],
    [['--input-share', '75'], 'write 0.75 or 75%'],
    [['--cached-share', '150%'], '--cached-share'],
    [['--gpu-hourly-usd', '0'], '--gpu-hourly-usd'],
    [['--replica-tokens-per-second', '0'], '--replica-tokens-per-second'],
    [['--replica-tokens-per-second', 'Infinity'], '--replica-tokens-per-second'],
    [['--gpus', '1.5'], '--gpus'],
  ])('degenerate %j is refused at parse time, naming the flag', async (args, message) => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '1B',
      '--api-model',
      'gpt-4o',
      '--gpu',
      'h100',
      '--replica-tokens-per-second',
      '1000',
      ...args,
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  test('a share of 1 is 100% and 2% is 2%', async () => {
    const run = async (share: string) =>
      JSON.parse(
        (
          await runCli([
            'breakeven',
            '--tokens-per-month',
            '1B',
            '--input-share',
            share,
            '--api-usd-per-million-input',
            '1',
            '--api-usd-per-million-output',
            '3',
            '--self-hosted-monthly-usd',
            '100',
            '--json',
          ])
        ).stdout,
      ).api_monthly_usd;
    expect(await run('1')).toBe(1000);
    expect(await run('2%')).toBe(20 + 2940);
    expect(await run('0.02')).toBe(20 + 2940);
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

  test('a latency target the cheapest fleet already meets does not make the plan dearer', async () => {
    const args = [
      'breakeven',
      '--tokens-per-month',
      '100B',
      '--api-model',
      'gpt-4o',
      '--gpu',
      'h100',
      '--model',
      'llama-3.3-70b',
      '--quant',
      'fp8',
      '--concurrency',
      '64',
    ];
    const free = JSON.parse((await runCli([...args, '--json'])).stdout);
    const r = await runCli([...args, '--ttft-p95-ms', '500', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // 8 replicas of 4 × H100 at 64 sequences (TTFT 266 ms), not 22 of 2 × H100 capped at 23
    expect(free.self_hosted_monthly_usd).toBeCloseTo(69_846.4, 1);
    expect(j.self_hosted_monthly_usd).toBe(free.self_hosted_monthly_usd);
    expect(j.self_hosted.replicas).toBe(8);
    expect(j.replica).toMatchObject({
      gpus: 4,
      effective_concurrency: 64,
      latency_cap: 64,
      layout_rule: 'load',
    });
    const text = (await runCli([...args, '--ttft-p95-ms', '500'])).stdout;
    expect(text).toMatch(
      /layout: 4 × h100 \(tensor parallel 4\) at 64 concurrent sequences: 8 replicas × 4 GPUs, \$69,846\/month of GPUs, the lowest monthly GPU cost for the load's peak of the layouts that fit within the latency targets; the others: 8 × h100 at 64: 4 replicas × 8 GPUs, \$69,846\/month of GPUs, the same cost on more GPUs per replica; 2 × h100 at 23: 22 replicas × 2 GPUs, \$96,039\/month of GPUs/,
    );
  });

  test('a small load gets the layout whose one replica costs least, even below the requested concurrency', async () => {
    const j = JSON.parse(
      (
        await runCli([
          'breakeven',
          '--tokens-per-month',
          '1B',
          '--api-model',
          'gpt-4o',
          '--gpu',
          'h100',
          '--model',
          'llama-3.3-70b',
          '--quant',
          'fp8',
          '--concurrency',
          '64',
          '--ttft-p95-ms',
          '500',
          '--json',
        ])
      ).stdout,
    );
    // One replica of 2 × H100 at 23 sequences serves 1B tokens; one of 4 × H100 would cost twice as much.
    expect(j.replica).toMatchObject({ gpus: 2, effective_concurrency: 23, layout_rule: 'load' });
    expect(j.self_hosted).toMatchObject({ replicas: 1 });
    expect(j.self_hosted.gpu_usd).toBeCloseTo(4_365.4, 1);
  });

  test("a load far below one replica's rate shows its fraction of a replica, not 0", async () => {
    const r = await runCli([
      'breakeven',
      '--tokens-per-month',
      '10M',
      '--api-model',
      'gpt-4o',
      '--gpu',
      'h100',
      '--model',
      'llama-3.3-70b',
      '--quant',
      'fp8',
    ]);
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('capacity: peak')) ?? '';
    const fractions = [...line.matchAll(/\) = ([\d.e-]+)/g)].map((m) => Number(m[1]));
    expect(fractions.length).toBe(2);
    for (const f of fractions) {
      expect(f).toBeGreaterThan(0);
      expect(f).toBeLessThan(0.01);
    }
    expect(line).toMatch(/→ 1 replica, the larger rounded up$/);
  });
});
