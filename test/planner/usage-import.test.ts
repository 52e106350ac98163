import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseColumnMap } from '../../src/planner/parse-mapped-csv.js';
import {
  detectUsageFormat,
  readUsageFile,
  type ReadUsageOptions,
} from '../../src/planner/read-usage-file.js';
import { UsageAudit } from '../../src/planner/usage-audit.js';
import type { UsageProblem, UsageRow } from '../../src/planner/usage-row.js';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures/usage', name);

async function load(name: string, opts: ReadUsageOptions = {}) {
  const rows: UsageRow[] = [];
  const problems: UsageProblem[] = [];
  for await (const item of readUsageFile(fixture(name), opts)) {
    if ('row' in item) rows.push(item.row);
    else if ('problem' in item) problems.push(item.problem);
  }
  const audit = new UsageAudit();
  for (const r of rows) audit.add(r, r.workload ?? r.project ?? 'unassigned');
  return { rows, problems, summary: audit.summary() };
}

describe('usage import', () => {
  test.each([
    ['openai-usage-completions.json', 'openai-usage-json'],
    ['openai-usage-export.csv', 'openai-usage-csv'],
    ['anthropic-usage-report.json', 'anthropic-usage-json'],
    ['switchyard-records.jsonl', 'switchyard-jsonl'],
    ['switchyard-records.csv', 'switchyard-csv'],
  ])('recognises %s as %s', async (file, format) => {
    expect(await detectUsageFormat(fixture(file))).toBe(format);
  });

  test('a CSV it does not know asks for a column map', async () => {
    await expect(detectUsageFormat(fixture('generic-usage.csv'))).rejects.toThrow(/--map/);
  });

  test('OpenAI usage API page: cached input is priced at the cached rate, bad results are reported', async () => {
    const { rows, problems, summary } = await load('openai-usage-completions.json');
    expect(rows).toHaveLength(3);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'openai-usage-completions.json', where: 'page 1 data[0].results[2]' }),
    ]);
    // gpt-4o: 0.6M × $2.50 + 0.4M cached × $1.25 + 0.2M × $10 = $4.00
    // gpt-4o-mini, a batch row: 2M × $0.075 + 0.5M × $0.30 (batch rates) = $0.30
    // gpt-4o day 2: 1M × $2.50 + 0.2M × $10 = $4.50
    expect(summary.total.costUsd).toBeCloseTo(8.8, 6);
    expect(summary.total.requests).toBe(1900);
    expect(summary.total.cachedInputTokens).toBe(400_000);
    expect(summary.profile.resolution).toBe('day');
    expect(summary.workloads.map((w) => w.name)).toEqual(['proj_support', 'proj_docs']);
  });

  test('OpenAI usage CSV export: negative counts and short rows are reported with their line', async () => {
    const { rows, problems, summary } = await load('openai-usage-export.csv');
    expect(rows).toHaveLength(3);
    expect(problems.map((p) => p.where)).toEqual(['4', '5']);
    expect(problems[0].message).toMatch(/input_tokens/);
    expect(problems[1].message).toMatch(/fields/);
    // $2.25 + $6.25 + gpt-4.1-mini 0.1M × $0.40 + 0.02M × $1.60 = $0.072
    expect(summary.total.costUsd).toBeCloseTo(8.572, 6);
    expect(summary.profile.resolution).toBe('hour');
  });

  test('Anthropic usage report: cache writes and reads count as input, reads as cached', async () => {
    const { rows, problems, summary } = await load('anthropic-usage-report.json');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      inputTokens: 4_000_000,
      cachedInputTokens: 2_000_000,
      outputTokens: 300_000,
    });
    expect(problems.map((p) => p.where)).toEqual(['page 1 data[0].results[1]', 'page 1 data[1]']);
    // uncached 1.5M × $3 + 5-minute writes 0.4M × $3.75 + 1-hour writes 0.1M × $6 + reads 2M × $0.30
    // + 0.3M × $15 = $11.70
    expect(summary.total.costUsd).toBeCloseTo(11.7, 6);
  });

  test('Switchyard JSONL records: camelCase and snake_case keys, malformed lines counted', async () => {
    const { rows, problems, summary } = await load('switchyard-records.jsonl');
    expect(rows).toHaveLength(3);
    expect(problems.map((p) => p.where)).toEqual(['3', '4']);
    const contracts = summary.workloads.find((w) => w.name === 'contracts');
    expect(contracts?.restrictedShare).toBe(1);
    expect(contracts?.meanRouterScore).toBe(0.8);
    // r2 has no cost: claude-sonnet-4, 1000 uncached × $3 + 1000 cached × $0.30 + 500 × $15 per M = $0.0108
    expect(contracts?.total.costUsd).toBeCloseTo(0.0108, 8);
    expect(summary.workloads.find((w) => w.name === 'support')?.total.costUsd).toBeCloseTo(0.018, 8);
  });

  test('Switchyard CSV export: quoted fields spanning lines, errors at the line the record starts', async () => {
    const { rows, problems, summary } = await load('switchyard-records.csv');
    expect(rows).toHaveLength(2);
    expect(rows[0].routerScore).toBe(0.4);
    expect(problems).toEqual([expect.objectContaining({ where: '5' })]);
    expect(problems[0].message).toMatch(/startedAt/);
    expect(summary.total.costUsd).toBeCloseTo(0.0045 + 0.008375, 8);
  });

  test('generic CSV through a column map, with quoted commas and spend columns', async () => {
    const columnMap = parseColumnMap(
      'date=Date,model=Model,input_tokens=Prompt tokens,output_tokens=Completion tokens,cost_usd=Spend,project=Team',
    );
    const { rows, problems, summary } = await load('generic-usage.csv', { columnMap });
    expect(rows).toHaveLength(3);
    expect(problems.map((p) => p.where)).toEqual(['4']);
    expect(rows[2].project).toBe('support, EU');
    // $4.20 + $2.80 given; gpt-4o 1M × $2.50 + 0.1M × $10 = $3.50 priced
    expect(summary.total.costUsd).toBeCloseTo(10.5, 6);
  });

  test('a quote left open at the end of a CSV is reported, not swallowed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-usage-'));
    try {
      const file = join(dir, 'cut.csv');
      await writeFile(
        file,
        'Date,Model,In,Out\n2026-11-01,gpt-4o,100,10\n2026-11-02,"gpt-4o,100,10\n2026-11-03,gpt-4o,100,10\n',
      );
      const columnMap = parseColumnMap('date=Date,model=Model,input_tokens=In,output_tokens=Out');
      const items = [];
      for await (const item of readUsageFile(file, { columnMap })) items.push(item);
      expect(items.filter((i) => 'row' in i)).toHaveLength(1);
      expect(items.filter((i) => 'problem' in i).map((i) => ('problem' in i ? i.problem : null))).toEqual([
        expect.objectContaining({ where: '3', message: expect.stringMatching(/not closed/) }),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a column map naming an unknown field is refused', () => {
    expect(() => parseColumnMap('date=D,model=M,input_tokens=I,output_tokens=O,colour=C')).toThrow(/colour/);
    expect(() => parseColumnMap('date=D,model=M')).toThrow(/input_tokens/);
  });
});
