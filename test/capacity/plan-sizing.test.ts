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

  test('a latency target caps the replica, shows why, and adds replicas', async () => {
    const free = JSON.parse((await runCli(['plan', '--usage', USAGE, '--config', CONFIG, '--json'])).stdout);
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
    expect(j.capacity.latency.concurrency_cap).toBeLessThan(64);
    expect(j.capacity.effective_concurrency).toBe(j.capacity.latency.concurrency_cap);
    expect(j.capacity.output_tokens_per_second_per_user).toBeGreaterThanOrEqual(60);
    expect(j.assumptions.join('\n')).toMatch(
      /Latency: latency caps a replica at \d+ concurrent sequences, not the 64 requested/,
    );
    expect(j.capacity.output_tokens_per_second).toBeLessThan(free.capacity.output_tokens_per_second);
    const text = await runCli([
      'plan',
      '--usage',
      USAGE,
      '--config',
      CONFIG,
      '--output-tokens-per-second-per-user',
      '60',
    ]);
    expect(text.stdout).toMatch(/Latency: latency caps a replica at \d+ concurrent sequences/);
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
