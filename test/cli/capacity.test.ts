import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runCli } from '../planner/cli-harness.js';

const LLAMA_70B_FP8_64 = [
  'capacity',
  '--model',
  'llama-3.3-70b',
  '--gpu',
  'h100',
  '--quant',
  'fp8',
  '--concurrency',
  '64',
];

interface LayoutJson {
  gpus: number;
  fits: boolean;
  concurrency: number | null;
  usd_per_million_tokens: number | null;
  chosen: boolean;
}

/** The paragraph of `text` that starts with `Exit N`, on one line. */
function exitSection(text: string, code: number): string {
  const m = new RegExp(`Exit ${code}[\\s\\S]*?(?=\\nExit |\\n\\n|$)`).exec(text);
  return (m?.[0] ?? '').replace(/\s+/g, ' ');
}

describe('switchyard capacity', () => {
  test('the monthly GPU cost shows the GPUs, the hourly price per GPU and the hours it multiplies', async () => {
    // An L40S replica of 4 GPUs runs on a g6e.12xlarge: $10.49264/h ÷ 4 = $2.62316 per GPU.
    const r = await runCli(['capacity', '--model', 'llama-3.3-70b', '--gpu', 'l40s', '--concurrency', '8']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/GPU cost +\$7,660\/month = 4 GPUs × \$2\.6232\/h × 730 h\n/);
  });

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
      '--gpus',
      '2',
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

  test('a latency target the cheapest layout already meets leaves the layout and its cost as they were', async () => {
    const free = JSON.parse((await runCli([...LLAMA_70B_FP8_64, '--json'])).stdout);
    const r = await runCli([...LLAMA_70B_FP8_64, '--ttft-p95-ms', '500', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(free.gpus_needed).toBe(4);
    expect(j.gpus_needed).toBe(4);
    expect(j.effective_concurrency).toBe(64);
    expect(j.latency.concurrency_cap).toBe(64);
    expect(j.usd_per_million_output_tokens).toBe(free.usd_per_million_output_tokens);
    // Two GPUs meet 500 ms only at 23 sequences, and cost more per token there.
    const two = j.options.find((o: LayoutJson) => o.gpus === 2);
    expect(two).toMatchObject({ fits: true, concurrency: 23, chosen: false });
    expect(two.usd_per_million_tokens).toBeGreaterThan(j.usd_per_million_output_tokens);
    expect(j.layout_choice.rule).toBe('per-token');

    const text = (await runCli([...LLAMA_70B_FP8_64, '--ttft-p95-ms', '500'])).stdout;
    expect(text).toContain('Cost per 1M output tokens      $3.00 at 60% utilisation');
    expect(text).toContain(
      'Layout chosen by               the lowest cost per output token of the layouts that hold all 64 sequences within the latency targets',
    );
    expect(text).toMatch(/^ {2}4 +4 +1 .* 64 +1,843 +\$3\.00 +chosen$/m);
    expect(text).toMatch(/^ {2}2 +2 +1 .* 23 +635 +\$4\.36 +fits$/m);
    expect(text).toMatch(
      /note: Layout: 4 × h100 \(tensor parallel 4\) at 64 concurrent sequences: \$3\.00 per 1M output tokens, the lowest cost per token .*; 2 × h100 at 23: \$4\.36 per 1M output tokens, holds 23 of the 64/,
    );
  });

  test('when no layout holds every sequence within the targets, the cheapest per token that fits wins, and says so', async () => {
    const args = [
      'capacity',
      '--model',
      'llama-3.3-70b',
      '--gpu',
      'h100',
      '--quant',
      'fp8',
      '--concurrency',
      '256',
      '--output-tokens-per-second-per-user',
      '60',
    ];
    const j = JSON.parse((await runCli([...args, '--json'])).stdout);
    const fitting: LayoutJson[] = j.options.filter((o: LayoutJson) => o.fits);
    expect(fitting.every((o) => (o.concurrency ?? 0) < 256)).toBe(true);
    const lowest = Math.min(...fitting.map((o) => o.usd_per_million_tokens ?? Infinity));
    const tied = fitting.filter((o) => (o.usd_per_million_tokens ?? Infinity) <= lowest * 1.005);
    // Costs within 0.5% are one cost: the fewest GPUs among them win.
    expect(j.gpus_needed).toBe(Math.min(...tied.map((o) => o.gpus)));
    expect(j.effective_concurrency).toBeLessThan(256);
    expect(j.layout_choice.summary).toBe(
      'the lowest cost per output token of the layouts that fit; none holds all 256 sequences within the latency targets',
    );
  });

  test('a refused --gpus shows the memory of the layout asked for, not of another', async () => {
    const args = ['capacity', '--model', 'llama-3.3-70b', '--quant', 'fp8', '--gpu', 'h100', '--gpus', '1'];
    const r = await runCli(args);
    expect(r.code).toBe(1);
    // 70.6 GB of weights + 42.95 GB of KV (16 × 8192 tokens) + 2 GB of activations on the one GPU
    expect(r.stdout).toMatch(/Total +115\.55 GB on 1 × h100 \(--gpus\)/);
    expect(r.stdout).toMatch(
      /Largest concurrency that fits +0 sequences of 8192 tokens on 1 × h100 \(--gpus\)/,
    );
    // 808 sequences and 177.55 GB are the 32-GPU layout's: only its row of the layout table may show them.
    const summary = r.stdout.slice(0, r.stdout.indexOf('  GPUs  TP'));
    expect(summary).not.toMatch(/808|177\.55/);
    const j = JSON.parse((await runCli([...args, '--json'])).stdout);
    expect(j).toMatchObject({ shown_gpus: 1, shown_layout: 'given', max_concurrency: 0, total_gb: 115.55 });
  });

  test('latency figures beside a target print the relation they state', async () => {
    const r = await runCli([...LLAMA_70B_FP8_64, '--ttft-p95-ms', '500', '--gpus', '2']);
    expect(r.stdout).toMatch(/at 23, TTFT 499\.\d ms ≤ 500 ms; at 24, TTFT 500\.\d ms > --ttft-p95-ms 500/);
    const relations = [...r.stdout.matchAll(/TTFT ([\d,.]+) ms (≤|>) (?:--ttft-p95-ms )?([\d.]+)/g)];
    expect(relations.length).toBeGreaterThanOrEqual(2);
    for (const [, value, relation, target] of relations) {
      const v = Number(value.replace(/,/g, ''));
      if (relation === '>') expect(v).toBeGreaterThan(Number(target));
      else expect(v).toBeLessThan(Number(target));
    }
  });

  describe('exit codes: the behaviour, --help and docs/cli.md agree', () => {
    const CLI_DOC = readFileSync('docs/cli.md', 'utf8');
    const docSection = /^## capacity$([\s\S]*?)^## /m.exec(CLI_DOC)?.[1] ?? '';

    test.each([
      [
        ['--model', 'llama-3.1-8b', '--gpu', 'h100', '--context', '1000000'],
        2,
        "a context beyond the model's window",
      ],
      [
        ['--model', 'llama-3.1-8b', '--gpu', 'h100', '--context', '4096', '--prompt-tokens', '5000'],
        2,
        'a request larger than --context',
      ],
      [['--model', 'llama-3.3-70b', '--gpu', 'h100', '--gpus', '3'], 2, 'a --gpus no layout uses'],
      [['--model', 'llama-3.1-70b', '--gpu', 'h100', '--concurrency', '5000'], 1, 'no layout fits'],
      [['--model', 'llama-3.3-70b', '--gpu', 'h100', '--quant', 'fp8', '--gpus', '1'], 1, '--gpus too few'],
      [
        ['--model', 'llama-3.3-70b', '--gpu', 'h100', '--ttft-p95-ms', '5'],
        1,
        'latency targets no concurrency meets',
      ],
    ])('%j exits %i: "%s"', async (args, code, phrase) => {
      const r = await runCli(['capacity', ...args]);
      expect(r.code).toBe(code);
      if (code === 2) expect(r.stdout).toBe('');
      else expect(r.stdout).toContain('Refused:');
      const help = (await runCli(['capacity', '--help'])).stdout;
      expect(exitSection(help, code)).toContain(phrase);
      expect(exitSection(docSection, code)).toContain(phrase.replace(/--[a-z-]+/g, (flag) => `\`${flag}\``));
    });
  });
});
