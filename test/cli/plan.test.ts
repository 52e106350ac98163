import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRecordStore } from '../../src/records/sqlite-record-store.js';
import type { RequestRecord } from '../../src/spec/request-record.js';
import { databasePath } from '../../src/storage/open-sqlite-database.js';
import { runCli } from '../planner/cli-harness.js';

const root = join(import.meta.dirname, '../..');
const sample = join(root, 'examples/usage/openai-usage-hourly.csv');
const records = join(root, 'examples/usage/switchyard-records.jsonl');
const config = join(root, 'examples/workloads.yaml');
const fixture = (name: string) => join(root, 'test/fixtures/usage', name);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-plan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('switchyard plan', () => {
  test('the shipped sample runs and names its workloads, Pareto, profile and options', async () => {
    const r = await runCli(['plan', '--usage', sample, '--config', config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage audit: 2,880 rows/);
    for (const w of ['support-bot', 'document-extraction', 'code-review', 'research-agent'])
      expect(r.stdout).toContain(w);
    expect(r.stdout).toContain('Workloads by spend (Pareto)');
    expect(r.stdout).toContain('Traffic by UTC hour');
    expect(r.stdout).toContain('Decision matrix');
    expect(r.stdout).toContain('Break-even');
  });

  test('--json: workloads add up to the total and are sorted by spend', async () => {
    const r = await runCli(['plan', '--usage', sample, '--config', config, '--json']);
    const j = JSON.parse(r.stdout);
    const sum = j.workloads.reduce((s: number, w: { cost_usd: number }) => s + w.cost_usd, 0);
    expect(sum).toBeCloseTo(j.total.cost_usd, 0);
    const costs = j.workloads.map((w: { cost_usd: number }) => w.cost_usd);
    expect(costs).toEqual([...costs].sort((a: number, b: number) => b - a));
    expect(j.workloads[j.workloads.length - 1].cumulative_spend_share).toBeCloseTo(1, 3);
    expect(j.traffic_profile.resolution).toBe('hour');
    expect(j.traffic_profile.peak_to_mean).toBeGreaterThan(1);
    expect(j.options).toHaveProperty('breakeven_tokens_per_month');
    expect(j.workloads[0].decision.factors).toHaveLength(7);
  });

  test('records carry latency, router scores and residency into the decision matrix', async () => {
    const r = await runCli(['plan', '--usage', records, '--config', config, '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.malformed_rows).toBe(2);
    const claims = j.workloads.find((w: { name: string }) => w.name === 'claims');
    const factor = (name: string) =>
      claims.decision.factors.find((f: { factor: string }) => f.factor === name);
    expect(factor('data sensitivity')).toMatchObject({ leaning: 'open', source: 'measured' });
    expect(factor('task complexity')).toMatchObject({ leaning: 'open', source: 'measured' });
    expect(claims.decision.recommendation).toBe('self-host');
  });

  test("reads the gateway's own SQLite record database", async () => {
    const dataDir = join(dir, 'gateway-data');
    const store = createRecordStore({ dataDir, batchIntervalMs: 10, batchSize: 100 });
    const lines = (await readFile(records, 'utf8')).split('\n').slice(0, 60);
    let expectedCost = 0;
    let kept = 0;
    for (const line of lines) {
      let record: RequestRecord;
      try {
        record = JSON.parse(line) as RequestRecord;
      } catch {
        continue;
      }
      if (typeof record.inputTokens !== 'number') continue;
      store.append(record);
      expectedCost += record.costUsd ?? 0;
      kept++;
    }
    await store.flush();
    await store.close();
    const r = await runCli(['plan', '--usage', databasePath(dataDir), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.files[0].format).toBe('switchyard-sqlite');
    expect(j.rows).toBe(kept);
    expect(j.total.cost_usd).toBeCloseTo(expectedCost, 2);
    expect(j.workloads.map((w: { name: string }) => w.name).sort()).toEqual([
      'claims',
      'contracts',
      'support',
    ]);
  });

  test('malformed rows are reported with file and line and counted, never dropped silently', async () => {
    const r = await runCli(['plan', '--usage', fixture('openai-usage-export.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 malformed row(s) skipped and counted');
    expect(r.stdout).toContain('openai-usage-export.csv:4:');
    expect(r.stdout).toContain('openai-usage-export.csv:5:');
    expect(r.stderr).toContain('2 malformed row(s)');
  });

  test('a generic CSV with --map', async () => {
    const r = await runCli([
      'plan',
      '--usage',
      fixture('generic-usage.csv'),
      '--map',
      'date=Date,model=Model,input_tokens=Prompt tokens,output_tokens=Completion tokens,cost_usd=Spend,project=Team',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).total.cost_usd).toBeCloseTo(10.5, 6);
  });

  test('--out writes HTML, Markdown and JSON reports', async () => {
    const html = join(dir, 'plan.html');
    const md = join(dir, 'plan.md');
    const json = join(dir, 'plan.json');
    const r = await runCli([
      'plan',
      '--usage',
      sample,
      '--config',
      config,
      '--out',
      html,
      '--out',
      md,
      '--out',
      json,
    ]);
    expect(r.code).toBe(0);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/<script|<link|src="http/);
    expect(await readFile(md, 'utf8')).toContain('## Decision matrix');
    expect(JSON.parse(await readFile(json, 'utf8')).rows).toBe(2880);
  });

  test('a progress bar is drawn on stderr whenever stderr is a terminal, never into the report', async () => {
    // `plan --json > plan.json` on a terminal: stdout is a file, stderr the terminal.
    const r = await runCli(['plan', '--usage', sample, '--json'], { stderrIsTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/openai-usage-hourly\.csv \[#+\] 100%/);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    // stdout on a terminal but stderr redirected: the bar would land in a log file, so none.
    const piped = await runCli(['plan', '--usage', sample, '--json'], { isTTY: true });
    expect(piped.stderr).toBe('');
    const quiet = await runCli(['plan', '--usage', sample, '--json']);
    expect(quiet.stderr).toBe('');
  });

  test.each([
    [[]],
    [['--usage', 'x.csv', '--format', 'parquet']],
    [['--usage', 'x.csv', '--map', 'date=D']],
    [['--usage', sample, '--out', join(tmpdir(), 'plan.pdf')]],
  ])('bad flags are a usage error: %j', async (args) => {
    expect((await runCli(['plan', ...args])).code).toBe(2);
  });

  test('a file with no usable rows fails', async () => {
    const r = await runCli([
      'plan',
      '--usage',
      fixture('anthropic-usage-report.json'),
      '--format',
      'switchyard-jsonl',
    ]);
    expect(r.code).toBe(1);
  });
});
