import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { detectUsageFormat, readUsageFile } from '../../src/planner/read-usage-file.js';
import { UsageAudit } from '../../src/planner/usage-audit.js';
import type { UsageItem } from '../../src/planner/usage-row.js';
import { runCli } from './cli-harness.js';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures/usage', name);

async function items(name: string): Promise<UsageItem[]> {
  const out: UsageItem[] = [];
  for await (const item of readUsageFile(fixture(name))) out.push(item);
  return out;
}

describe("OpenAI's usage API as documented", () => {
  test('the reference example (model: null, not grouped by model) keeps its tokens and says why they have no price', async () => {
    const all = await items('openai-usage-api-example.json');
    expect(all).toEqual([
      {
        row: expect.objectContaining({
          model: '(model not reported)',
          inputTokens: 1000,
          cachedInputTokens: 800,
          outputTokens: 500,
          requests: 5,
          serviceTier: 'standard',
        }),
      },
    ]);
    const audit = new UsageAudit();
    for (const i of all) if ('row' in i) audit.add(i.row, 'all');
    const s = audit.summary();
    expect(s.total.costUsd).toBe(0);
    expect(s.total.unpricedTokens).toBe(1500);
    expect(s.unpriced[0].reason).toMatch(/does not name the model.*grouped by model/);
  });
});

describe('the dashboard CSV export', () => {
  test('days with no usage are empty buckets that lengthen the period, not malformed rows', async () => {
    const r = await runCli(['plan', '--usage', fixture('openai-usage-dashboard.csv'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.malformed_rows).toBe(0);
    expect(j.empty_buckets).toBe(2);
    expect(j.rows).toBe(2);
    expect(j.period).toMatchObject({
      first: '2025-10-05T00:00:00.000Z',
      last: '2025-10-09T00:00:00.000Z',
      days: 4,
    });
    // gpt-4o-2024-08-06: 53,440 × $2.50 + 5,760 × $1.25 + 10,646 × $10 per M = $0.24726
    // gpt-5-mini-2025-08-07: 80,992 × $0.25 + 274,770 × $2 per M = $0.569788
    expect(j.total.cost_usd).toBeCloseTo(0.82, 2);
  });
});

describe("OpenAI's Costs API and costs CSV, read to reconcile", () => {
  test.each([
    ['openai-costs-page.json', 'openai-costs-json'],
    ['openai-costs-export.csv', 'openai-costs-csv'],
  ])('recognises %s as %s', async (file, format) => {
    expect(await detectUsageFormat(fixture(file))).toBe(format);
  });

  test('the costs CSV beside the usage CSV: billed and computed agree within a third of a cent', async () => {
    const r = await runCli([
      'plan',
      '--usage',
      fixture('openai-usage-dashboard.csv'),
      '--usage',
      fixture('openai-costs-export.csv'),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.malformed_rows).toBe(0);
    // billed $0.25 + $0.57 over the four days (two of them empty); computed $0.24726 + $0.569788
    expect(j.reconciliation).toMatchObject({ days: 4, billed_usd: 0.82, computed_usd: 0.82 });
    // $0.816948 − $0.82 = −$0.003, −0.36% of billed
    expect(j.reconciliation.difference_share).toBeCloseTo(-0.0036, 4);
    expect(j.warnings).toEqual([]);
    // Billed costs are reported beside the usage, never added to it.
    expect(j.total.cost_usd).toBeCloseTo(0.82, 2);
  });

  test('the Markdown and HTML reports carry the same billed-against-computed table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-reconcile-'));
    try {
      const md = join(dir, 'plan.md');
      const html = join(dir, 'plan.html');
      const r = await runCli([
        'plan',
        '--usage',
        fixture('openai-usage-completions.json'),
        '--usage',
        fixture('openai-costs-page.json'),
        '--out',
        md,
        '--out',
        html,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const rows = [
        ['billed (cost export), 3 day(s)', '$8.80'],
        ['computed from usage, same days', '$8.80'],
        ['difference', '$0 (0.0%)'],
        ['billed: gpt-4o-2024-08-06, input', '$7.00'],
      ];
      const markdown = await readFile(md, 'utf8');
      const page = await readFile(html, 'utf8');
      for (const [label, usd] of rows) {
        expect(markdown).toContain(`| ${label} | ${usd} |`);
        expect(page).toContain(`<tr><td>${label}</td><td>${usd}</td></tr>`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the Costs API page: line items listed, the difference reported when they disagree', async () => {
    const r = await runCli([
      'plan',
      '--usage',
      fixture('openai-usage-completions.json'),
      '--usage',
      fixture('openai-costs-page.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    // computed: day 1 $4.00 + $0.30, day 2 $4.50 = $8.80; billed $4.30 + $4.50 + $0 (day 3) = $8.80
    expect(r.stdout).toMatch(/Billed \(cost export\)\s+\$8\.80 over 3 day\(s\)/);
    expect(r.stdout).toMatch(/Computed from usage, same days \$8\.80/);
    expect(r.stdout).toContain('gpt-4o-2024-08-06, input: $7.00');

    // Billed days the usage does not cover are said to be so, not read as a 100% gap.
    const elsewhere = await runCli([
      'plan',
      '--usage',
      fixture('openai-usage-dashboard.csv'),
      '--usage',
      fixture('openai-costs-page.json'),
      '--json',
    ]);
    const j = JSON.parse(elsewhere.stdout);
    expect(j.reconciliation).toMatchObject({ billed_usd: 8.8, computed_usd: 0 });
    expect(j.warnings.join(' ')).toMatch(/The billed costs \(\$8\.80\) cover days with no usage rows/);
  });

  test('a gap over 5% between computed and billed is a warning', async () => {
    const r = await runCli([
      'plan',
      '--usage',
      fixture('openai-usage-completions.json'),
      '--usage',
      fixture('openai-costs-export.csv'),
      '--usage',
      fixture('openai-costs-page.json'),
      '--json',
    ]);
    const j = JSON.parse(r.stdout);
    // The 2025 costs rows add $0.82 billed on days without usage: computed $8.80 against billed $9.62.
    expect(j.reconciliation).toMatchObject({ billed_usd: 9.62, computed_usd: 8.8, difference_usd: -0.82 });
    expect(j.warnings.join(' ')).toMatch(/differs from what was billed .* by -\$0\.82 \(-8\.5%\)/);
  });

  test('a costs file alone is refused with what to add', async () => {
    const r = await runCli(['plan', '--usage', fixture('openai-costs-export.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cost exports are read to reconcile spend; give the usage export/);
  });
});
