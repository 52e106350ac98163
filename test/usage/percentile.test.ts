import { describe, expect, test } from 'vitest';
import { formatDemoReport } from '../../src/demo/format-demo-report.js';
import { aggregateUsage } from '../../src/usage/aggregate-usage.js';
import { percentile } from '../../src/usage/percentile.js';
import { usageRecord } from './usage-record.js';

describe('one percentile for demo and usage', () => {
  test.each([
    [[100, 200], 0.5, 100],
    [[100, 200, 300, 400], 0.5, 200],
    [[100, 200, 300, 400], 0.95, 400],
    [[5], 0.5, 5],
  ])('nearest rank of %j at %d is %d', (sorted, p, expected) => expect(percentile(sorted, p)).toBe(expected));

  test('the same requests give the same p50 and p95 in the demo summary and in switchyard usage', async () => {
    const records = [120, 480, 300, 900].map((latencyMs) => usageRecord({ latencyMs, workload: 'support' }));
    const usage = await aggregateUsage(records, { groupBy: ['workload'] });
    const demoRow = formatDemoReport(records)
      .split('\n')
      .find((line) => line.startsWith('support'));
    const cells = demoRow!.trim().split(/\s{2,}/);
    // workload, requests, errors, served by, in tok, out tok, p50 ms, p95 ms, ...
    expect(Number(cells[6])).toBe(usage.rows[0].p50LatencyMs);
    expect(Number(cells[7])).toBe(usage.rows[0].p95LatencyMs);
    expect(usage.rows[0].p50LatencyMs).toBe(300);
  });
});
