import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './cli-harness.js';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures/usage', name);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-pricing-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function planJson(...args: string[]) {
  const r = await runCli(['plan', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('usage priced as it was billed', () => {
  test('OpenAI batch rows at half price, flex at its own rate, priority at the priority rate', async () => {
    const j = await planJson('--usage', fixture('openai-usage-tiers.json'));
    // each row: 1M input, 0.1M output
    // gpt-4o-2024-08-06 standard: $2.50 + $1.00 = $3.50; batch: $1.25 + $0.50 = $1.75
    // o3 flex: $1.00 + $0.40 = $1.40; gpt-4o-2024-08-06 priority: $4.25 + $1.70 = $5.95
    expect(j.total.cost_usd).toBeCloseTo(12.6, 6);
    expect(j.total.unpriced_tokens).toBe(0);
    const terms = j.prices_used.map((p: { model: string; terms: string }) => `${p.model} ${p.terms}`);
    expect(terms).toEqual(
      expect.arrayContaining([
        'gpt-4o-2024-08-06 standard',
        'gpt-4o-2024-08-06 batch (listed rate)',
        'gpt-4o-2024-08-06 priority (listed rate)',
        'o3-2025-04-16 flex (listed rate)',
      ]),
    );
  });

  test('Anthropic cache writes at 1.25× and 2× input, batch at half price, long prompts at long-context rates', async () => {
    const j = await planJson('--usage', fixture('anthropic-usage-tiers.json'));
    // standard: 1M × $3 + 1M 5-minute writes × $3.75 + 1M 1-hour writes × $6 + 0.1M × $15 = $14.25
    // batch: 1M × $1.50 + 0.1M × $7.50 = $2.25; 200k-1M context: 1M × $6 + 0.1M × $22.50 = $8.25
    expect(j.total.cost_usd).toBeCloseTo(24.75, 6);
    const long = j.prices_used.find((p: { terms: string }) => /long context/.test(p.terms));
    expect(long.usd_per_million).toMatchObject({ input: 6, output: 22.5 });
    expect(long.source).toMatch(/litellm.*July 2026 snapshot/);
    expect(long.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('a single recorded request over 200k input tokens is billed at the long-context rate', async () => {
    const file = join(dir, 'records.jsonl');
    const record = (inputTokens: number, minute: number) =>
      JSON.stringify({
        startedAt: new Date(Date.UTC(2026, 10, 1, 9, minute)).toISOString(),
        modelRequested: 'claude-sonnet-4-5',
        inputTokens,
        outputTokens: 1000,
        workload: 'contracts',
      });
    await writeFile(file, [record(100_000, 0), record(300_000, 30)].join('\n'));
    const j = await planJson('--usage', file);
    // 100k × $3 + 1k × $15 per M = $0.315; 300k × $6 + 1k × $22.50 per M = $1.8225
    expect(j.total.cost_usd).toBeCloseTo(2.14, 2);
    expect(j.prices_used.map((p: { terms: string }) => p.terms).sort()).toEqual([
      'standard',
      'standard, long context (over 200,000 input tokens)',
    ]);
  });

  test('a model with no price is never $0: it is reported and kept out of the blended price', async () => {
    const csv = join(dir, 'unpriced.csv');
    await writeFile(
      csv,
      [
        'Date,Model,In,Out',
        '2026-11-01T10:00:00Z,gpt-4o,1000000,100000',
        '2026-11-01T11:00:00Z,acme-finetune-7b,9000000,900000',
        '2026-11-02T10:00:00Z,gpt-4o,1000000,100000',
      ].join('\n'),
    );
    const args = ['--usage', csv, '--map', 'date=Date,model=Model,input_tokens=In,output_tokens=Out'];
    const j = await planJson(...args);
    // gpt-4o: 2M × $2.50 + 0.2M × $10 = $7.00 over 2.2M priced tokens: $3.18/M, not $0.58/M over all 12.1M
    expect(j.total.cost_usd).toBeCloseTo(7, 6);
    expect(j.total.priced_tokens).toBe(2_200_000);
    expect(j.total.unpriced_tokens).toBe(9_900_000);
    expect(j.options.api_usd_per_million_blended).toBeCloseTo(3.18, 2);
    expect(j.unpriced).toEqual([
      { model: 'acme-finetune-7b', tokens: 9_900_000, reason: expect.stringMatching(/options\.apiPrices/) },
    ]);
    expect(j.warnings[0]).toMatch(/9\.9M of 12\.1M tokens \(81\.8%\) have no price: acme-finetune-7b/);
    const text = (await runCli(['plan', ...args])).stdout;
    // Prominent: right after the verdict, before the audit.
    expect(text.split('\n').slice(0, 4).join('\n')).toMatch(/Warnings\n {2}! 9\.9M of 12\.1M tokens/);
  });

  test('a workload whose tokens all lack a price is not compared at $0', async () => {
    const csv = join(dir, 'mixed.csv');
    await writeFile(
      csv,
      [
        'Date,Model,In,Out,Team',
        '2026-11-01T10:00:00Z,gpt-4o,1000000,100000,support',
        '2026-11-01T11:00:00Z,acme-finetune-7b,9000000,900000,labs',
      ].join('\n'),
    );
    const j = await planJson(
      '--usage',
      csv,
      '--map',
      'date=Date,model=Model,input_tokens=In,output_tokens=Out,project=Team',
    );
    const labs = j.workloads.find((w: { name: string }) => w.name === 'labs');
    expect(labs.breakeven).toBeNull();
    expect(labs.decision.reasons).toContain('no price for its tokens: cost not compared');
  });

  test('an export with no priced token at all refuses to plan, naming why', async () => {
    const r = await runCli(['plan', '--usage', fixture('openai-usage-api-example.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/none of the 1\.5k tokens has a price.*does not name the model.*group/);
  });
});
