import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readTimestamp, readTokenCount } from '../../src/planner/usage-values.js';
import { runCli } from './cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-period-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const MAP = 'date=Date,model=Model,input_tokens=In,output_tokens=Out,project=Team';
const hour = (h: number) => new Date(Date.UTC(2026, 9, 1) + h * 3_600_000).toISOString();

async function plan(lines: string[], ...extra: string[]) {
  const file = join(dir, `u${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, ['Date,Model,In,Out,Team', ...lines].join('\n'));
  const r = await runCli(['plan', '--usage', file, '--map', MAP, '--json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('rates over the whole period the files cover', () => {
  test('a workload used on one day of a 30-day file is one day of use, and workloads add up to the total', async () => {
    const steady = Array.from({ length: 30 * 24 }, (_, h) => `${hour(h)},gpt-4o,100000,10000,steady`);
    const burst = Array.from({ length: 24 }, (_, h) => `${hour(14 * 24 + h)},gpt-4o,100000,10000,burst`);
    const j = await plan([...steady, ...burst]);
    const byName = Object.fromEntries(
      j.workloads.map((w: { name: string; tokens_per_month: number }) => [w.name, w.tokens_per_month]),
    );
    // 24 rows × 110k tokens = 2.64M over the file's 29.96 days (first to last row) → 2.68M per
    // 730-hour (30.42-day) month; scaled over its own day it was 80M, more than the steady workload.
    const days = (Date.parse(j.period.last) - Date.parse(j.period.first)) / 86_400_000;
    expect(byName.burst).toBeCloseTo((24 * 110_000 * (730 / 24)) / days, 0);
    expect(byName.burst).toBeLessThan(byName.steady / 20);
    expect(byName.steady + byName.burst).toBeCloseTo(j.total.tokens_per_month, -3);
  });
});

describe('dates without a time are daily buckets', () => {
  test('28 days of daily totals give a flat daily profile, not a peak-to-mean of 24', async () => {
    const days = Array.from(
      { length: 28 },
      (_, d) => `${new Date(Date.UTC(2026, 9, 1 + d)).toISOString().slice(0, 10)},gpt-4o,2400000,240000,t`,
    );
    const j = await plan(days);
    expect(j.traffic_profile.resolution).toBe('day');
    expect(j.traffic_profile.peak_to_mean).toBe(1);
    expect(j.period.days).toBe(28);
    expect(j.options.self_hosted.replicas).toBe(1);
  });
});

describe('strict values', () => {
  test.each([
    ['11/01/2026', /not an ISO 8601 date/],
    ['Nov 1 2026', /not an ISO 8601 date/],
    ['99999999999', /not a plausible epoch/],
    ['2026-02-30', /not a calendar date/],
    ['5138-11-16', /outside 2015–2099/],
  ])('the date %s is refused', (text, message) => {
    expect(() => readTimestamp(text, 'date')).toThrow(message);
  });

  test.each([
    ['2026-11-01', Date.UTC(2026, 10, 1), true],
    ['2026-11-01T09:30:00Z', Date.UTC(2026, 10, 1, 9, 30), false],
    ['2026-11-01 09:30:00', Date.UTC(2026, 10, 1, 9, 30), false],
    ['2025-10-05T00:00:00+00:00', Date.UTC(2025, 9, 5), false],
    ['1759622400', Date.UTC(2025, 9, 5), false],
    ['1759622400000', Date.UTC(2025, 9, 5), false],
    [1730419200, Date.UTC(2024, 10, 1), false],
  ])('%s reads as %d (date only: %s)', (v, ms, dateOnly) => {
    expect(readTimestamp(v, 'date')).toEqual({ ms, dateOnly });
  });

  test.each([
    ['0x10', /whole non-negative number/],
    ['1e15', /whole non-negative number/],
    ['12.5', /whole non-negative number/],
    ['-3', /whole non-negative number/],
    [1e15, /not a plausible count/],
  ])('the token count %s is refused', (v, message) => {
    expect(() => readTokenCount(v, 'input_tokens')).toThrow(message);
  });

  test.each([
    ['59200.0', 59200],
    ['1,234,567', 1234567],
    [42, 42],
  ])('the token count %s reads as %d', (v, n) => expect(readTokenCount(v, 'n')).toBe(n));

  test('rows with such values are reported with their line, not planned on', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(
      file,
      [
        'Date,Model,In,Out',
        '11/01/2026,gpt-4o,1000,100',
        '99999999999,gpt-4o,1000,100',
        '2026-11-02,gpt-4o,0x10,100',
        '2026-11-03,gpt-4o,1000,100',
        '2026-11-04,gpt-4o,1000000000000000,100',
        '2026-11-05,gpt-4o,20000000,100',
      ].join('\n'),
    );
    const r = await runCli([
      'plan',
      '--usage',
      file,
      '--map',
      'date=Date,model=Model,input_tokens=In,output_tokens=Out',
      '--json',
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.rows).toBe(1);
    expect(j.problems.map((p: { where: string }) => p.where)).toEqual(['2', '3', '4', '6', '7']);
    expect(j.problems[4].message).toMatch(/more than any context window/);
    expect(j.period.last).toBe('2026-11-04T00:00:00.000Z');
  });
});
