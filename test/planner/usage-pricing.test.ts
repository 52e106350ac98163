import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UsagePricer } from '../../src/planner/usage-pricer.js';
import { emptyRow, type UsageRow } from '../../src/planner/usage-row.js';
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

  test('the Pareto of spend shows a workload with no price as such, outside the shares', async () => {
    const csv = join(dir, 'pareto.csv');
    await writeFile(
      csv,
      [
        'Date,Model,In,Out,Team',
        '2026-11-01T10:00:00Z,gpt-4o,1000000,100000,support',
        '2026-11-01T11:00:00Z,gpt-4o-mini,1000000,100000,search',
        '2026-11-01T12:00:00Z,acme-finetune-7b,9000000,900000,labs',
        '2026-11-01T13:00:00Z,acme-finetune-7b,1000000,100000,search',
      ].join('\n'),
    );
    const args = [
      '--usage',
      csv,
      '--map',
      'date=Date,model=Model,input_tokens=In,output_tokens=Out,project=Team',
    ];
    const text = (await runCli(['plan', ...args])).stdout;
    const pareto = text.slice(text.indexOf('Workloads by spend (Pareto)'), text.indexOf('By model'));
    const row = (name: string) => pareto.split('\n').find((l) => l.trimStart().startsWith(`${name} `)) ?? '';
    expect(row('labs')).toMatch(/^ {2}labs +no price +[\d.]+[kMB]? +no price +9\.9M +/);
    expect(row('labs')).not.toMatch(/\$0|%/);
    // support $3.50 and search $0.2100 share the priced spend; search's unpriced tokens are listed.
    expect(row('support')).toMatch(/\$3\.50 +94\.3% +94\.3%/);
    expect(row('search')).toMatch(/\$0\.2100 +5\.7% +100\.0% .* 1\.1M /);
    expect(pareto.trimEnd().split('\n').at(-2)).toMatch(/^ {2}labs /);
    expect(pareto).toContain('a workload with no price takes no share and is listed last');

    const j = await planJson(...args);
    const labs = j.workloads.find((w: { name: string }) => w.name === 'labs');
    expect(labs).toMatchObject({ spend_share: null, cumulative_spend_share: null });
    expect(j.workloads.at(-1).name).toBe('labs');
    expect(j.workloads.at(-2).cumulative_spend_share).toBeCloseTo(1, 6);

    const md = join(dir, 'pareto.md');
    const html = join(dir, 'pareto.html');
    await runCli(['plan', ...args, '--out', md, '--out', html]);
    expect(await readFile(md, 'utf8')).toMatch(/\| labs +\| no price \| +\| +\| [^|]+\| no price \| 9\.9M/);
    const page = await readFile(html, 'utf8');
    expect(page).toMatch(/<td>labs<\/td><td>no price<\/td><td><\/td><td><\/td>/);
    // The chart has bars for the priced workloads only.
    const chart = page.slice(page.indexOf('class="chart pareto"'));
    expect((chart.slice(0, chart.indexOf('</svg>')).match(/<rect class="bar"/g) ?? []).length).toBe(2);
  });

  test('an export with no priced token at all refuses to plan, naming why', async () => {
    const r = await runCli(['plan', '--usage', fixture('openai-usage-api-example.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/none of the 1\.5k tokens has a price.*does not name the model.*group/);
  });
});

test("a price from the plan config's apiPrices is credited to the config, not the catalogue", () => {
  const pricer = new UsagePricer({ 'gpt-4o': { usdPerMillionInput: 2, usdPerMillionOutput: 8 } });
  const row: UsageRow = {
    ...emptyRow(),
    durationMs: 3_600_000,
    model: 'gpt-4o',
    inputTokens: 1_000_000,
    outputTokens: 100_000,
    requests: 10,
    vendor: 'openai',
  };
  expect(pricer.price(row).costUsd).toBeCloseTo(2.8, 9);
  expect(pricer.bases()).toMatchObject([{ pricedAs: 'gpt-4o', source: 'plan config: options.apiPrices' }]);
});
