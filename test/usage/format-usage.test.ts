import { describe, expect, it } from 'vitest';
import { aggregateUsage } from '../../src/usage/aggregate-usage.js';
import { formatUsageCsv, formatUsageJson, formatUsageTable } from '../../src/usage/format-usage.js';
import { usageRecord } from './usage-record.js';

const records = [
  usageRecord({ workload: 'support', costUsd: 0.5, baselineCostUsd: 2 }),
  usageRecord({ workload: 'support, "tier 1"', costUsd: null }),
];

describe('usage formatters', () => {
  it('table has a header, one line per group and a total', async () => {
    const report = await aggregateUsage(records, { groupBy: ['workload'] });
    const lines = formatUsageTable(report).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^workload\s+requests\s+errors\s+error_rate\s+input_tokens/);
    expect(lines).toHaveLength(6);
    expect(lines[2]).toMatch(/^support\s+1\s+0\s+0\.0%\s+100\s+50\s+\$0\.5000\s+\$2\.0000\s+\$1\.5000/);
    expect(lines[3]).toMatch(/^support, "tier 1"\s+1 .* - {2}/);
    expect(lines[5]).toMatch(/^TOTAL\s+2\s/);
  });

  it('CSV quotes cells with commas and quotes and leaves unknowns empty', async () => {
    const report = await aggregateUsage(records, { groupBy: ['workload'] });
    const lines = formatUsageCsv(report).split('\r\n');
    expect(lines[0]).toBe(
      'workload,requests,errors,error_rate,input_tokens,output_tokens,cost_usd,baseline_cost_usd,savings_usd,unpriced,p50_ms,p95_ms,p99_ms,ttft_p50_ms,ttft_p95_ms',
    );
    expect(lines[1]).toBe('support,1,0,0,100,50,0.5,2,1.5,0,500,500,500,80,80');
    expect(lines[2]).toBe('"support, ""tier 1""",1,0,0,100,50,,0.00075,,1,500,500,500,80,80');
  });

  it('JSON carries rows and totals', async () => {
    const report = await aggregateUsage(records, { groupBy: ['workload'] });
    const parsed = JSON.parse(formatUsageJson(report)) as typeof report;
    expect(parsed.groupBy).toEqual(['workload']);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.total.requests).toBe(2);
  });
});
