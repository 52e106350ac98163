import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../planner/cli-harness.js';

const USAGE = join(import.meta.dirname, '../../examples/usage/openai-usage-hourly.csv');
const CONFIG = join(import.meta.dirname, '../../examples/workloads.yaml');

describe('plan sizes the self-hosted replica like capacity does', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchyard-plan-sizing-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("the replica serves the usage's average request and is sized on its prompts too", async () => {
    const r = await runCli(['plan', '--usage', USAGE, '--config', CONFIG, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // 15.7B prompt and 2.24B output tokens over 5.31M requests: about 2,950 + 422 tokens each
    expect(j.capacity.prompt_tokens).toBeGreaterThan(2900);
    expect(j.capacity.prompt_tokens).toBeLessThan(3000);
    expect(j.capacity.output_tokens).toBeGreaterThan(400);
    expect(j.capacity.output_tokens).toBeLessThan(450);
    expect(j.capacity.input_tokens_per_second).toBeGreaterThan(0);
    expect(j.assumptions.join('\n')).toMatch(/output \+ \d+ prompt tokens\/s \(roofline-estimate\)/);
  });

  test('a latency target is met on the layout that serves the peak for the least, which the plan names', async () => {
    const r = await runCli([
      'plan',
      '--usage',
      USAGE,
      '--config',
      CONFIG,
      '--output-tokens-per-second-per-user',
      '60',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.capacity.output_tokens_per_second_per_user).toBeGreaterThanOrEqual(60);
    const fitting = j.capacity.options.filter((o: { fits: boolean }) => o.fits);
    const cheapest = Math.min(
      ...fitting.map((o: { monthly_gpu_usd_for_load: number }) => o.monthly_gpu_usd_for_load),
    );
    const chosen = j.capacity.options.find((o: { chosen: boolean }) => o.chosen);
    expect(chosen.gpus).toBe(j.capacity.gpus_needed);
    expect(chosen.monthly_gpu_usd_for_load).toBe(cheapest);
    // Four GPUs meet 60 tokens/s per user only at 24 sequences: two replicas of 4 cost what one of 8
    // does, and the 8-GPU replica, cheaper per token, wins the tie.
    expect(j.capacity.gpus_needed).toBe(8);
    expect(j.capacity.layout_choice.rule).toBe('load');
    expect(j.options.self_hosted.gpu_usd).toBeCloseTo(cheapest, 0);
    expect(j.assumptions.join('\n')).toMatch(
      /Layout: 8 × h100 \(tensor parallel 8\) at 64 concurrent sequences: 1 replica × 8 GPUs, \$17,462\/month of GPUs, the lowest monthly GPU cost for the load's peak/,
    );
    expect(j.assumptions.join('\n')).toMatch(
      /4 × h100 at 24: 2 replicas × 4 GPUs, \$17,462\/month of GPUs, the same cost at a higher cost per token/,
    );
    const text = await runCli([
      'plan',
      '--usage',
      USAGE,
      '--config',
      CONFIG,
      '--output-tokens-per-second-per-user',
      '60',
    ]);
    expect(text.stdout).toMatch(/Layout: 8 × h100 .* the lowest monthly GPU cost for the load's peak/);
  });

  test('a latency target the cheapest fleet already meets leaves the plan and its verdict as they were', async () => {
    const free = JSON.parse((await runCli(['plan', '--usage', USAGE, '--config', CONFIG, '--json'])).stdout);
    const r = await runCli([
      'plan',
      '--usage',
      USAGE,
      '--config',
      CONFIG,
      '--output-tokens-per-second-per-user',
      '30',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // One 4 × H100 replica at 64 sequences already gives each user 30 tokens/s: three 2 × H100
    // replicas capped below 64 would cost $4,802 more a month and turn the saving into a loss.
    expect(free.capacity.gpus_needed).toBe(4);
    expect(j.capacity.gpus_needed).toBe(4);
    expect(j.capacity.effective_concurrency).toBe(64);
    expect(j.options.self_hosted_monthly_usd).toBe(free.options.self_hosted_monthly_usd);
    expect(j.verdict).toEqual(free.verdict);
  });

  test('latency targets can live in the config', async () => {
    const config = join(dir, 'latency.yaml');
    await writeFile(
      config,
      'options:\n  selfHosted: { model: llama-3.3-70b, gpu: h100, quant: fp8, kvDtype: fp8, concurrency: 64, latency: { e2eP95Ms: 8000 } }\n',
    );
    const j = JSON.parse((await runCli(['plan', '--usage', USAGE, '--config', config, '--json'])).stdout);
    expect(j.capacity.latency.e2e_p95_ms).toBe(8000);
    expect(j.capacity.e2e_ms).toBeLessThanOrEqual(8000);
  });

  test('a --bench measured on another model is refused', async () => {
    const bench = join(dir, 'bench-8b.json');
    await writeFile(
      bench,
      JSON.stringify({
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        servedModel: 'meta-llama/Llama-3.1-8B-Instruct',
        simulated: true,
        levels: [{ concurrency: 8, outputTokensPerSecond: 2400 }],
      }),
    );
    const r = await runCli(['plan', '--usage', USAGE, '--config', CONFIG, '--bench', bench]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('but the plan sizes Llama 3.3 70B');
  });

  test.each([
    [['--peak-to-mean', '0'], '--peak-to-mean'],
    [['--hybrid-strong-share', '20'], "'20', which is ambiguous: write 0.2 or 20%"],
    [['--tokens-per-second', '0'], '--tokens-per-second'],
    [['--gpu', 'tpu'], '--gpu expects a GPU from the catalogue'],
  ])('plan refuses %j naming the flag', async (args, message) => {
    const r = await runCli(['plan', '--usage', USAGE, '--config', CONFIG, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
