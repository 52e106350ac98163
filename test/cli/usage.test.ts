import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createRecordStore } from '../../src/records/sqlite-record-store.js';
import type { RequestRecord } from '../../src/spec/request-record.js';
import { fakeIO } from '../support/fake-io.js';
import { usageRecord } from '../usage/usage-record.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function seeded(records: RequestRecord[]): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), 'switchyard-usage-'));
  dirs.push(cwd);
  const store = createRecordStore({
    dataDir: join(cwd, '.switchyard'),
    batchIntervalMs: 60_000,
    batchSize: 1000,
  });
  records.forEach((r) => store.append(r));
  await store.close();
  return cwd;
}

async function usage(cwd: string, ...argv: string[]) {
  const io = fakeIO({ cwd });
  const code = await main(['usage', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

const nov24 = Date.UTC(2026, 10, 24, 12);
const nov25 = Date.UTC(2026, 10, 25, 12);
const records = [
  usageRecord({ id: 'a', startedAt: nov24, workload: 'support', costUsd: 0.25, baselineCostUsd: 1 }),
  usageRecord({ id: 'b', startedAt: nov25, workload: 'support', costUsd: 0.5, baselineCostUsd: 1.5 }),
  usageRecord({
    id: 'c',
    startedAt: nov25,
    workload: 'batch',
    modelRequested: 'gpt-4o-mini',
    costUsd: 0.1,
    baselineCostUsd: 0.2,
  }),
];

describe('switchyard usage', () => {
  it('prints spend, baseline and savings per workload and model', async () => {
    const cwd = await seeded(records);
    const { code, out } = await usage(cwd);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^workload\s+model\s+requests/);
    expect(lines[2]).toMatch(/^batch\s+gpt-4o-mini\s+1\s.*\$0\.1000\s+\$0\.2000\s+\$0\.1000/);
    expect(lines[3]).toMatch(/^support\s+gpt-4o\s+2\s.*\$0\.7500\s+\$2\.5000\s+\$1\.7500/);
    expect(lines[5]).toMatch(/^TOTAL\s+3\s.*\$0\.8500\s+\$2\.7000\s+\$1\.8500/);
  });

  it('filters by time and groups by day as JSON', async () => {
    const cwd = await seeded(records);
    const { code, out } = await usage(cwd, '--from', '2026-11-25', '--group-by', 'day', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as { rows: Array<{ day: string; requests: number; costUsd: number }> };
    expect(report.rows.map((r) => [r.day, r.requests])).toEqual([['2026-11-25', 2]]);
    expect(report.rows[0].costUsd).toBeCloseTo(0.6, 12);
  });

  it('writes CSV', async () => {
    const cwd = await seeded(records);
    const { out } = await usage(cwd, '--group-by', 'key', '--csv', '--to', '2026-11-25');
    expect(out.split('\r\n')[1]).toMatch(/^key-1,1,0,0,100,50,0.25,1,0.75,/);
  });

  it('rejects bad flags and says why', async () => {
    const cwd = await seeded(records);
    const bad = await usage(cwd, '--group-by', 'colour');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown key 'colour'/);
    expect((await usage(cwd, '--from', 'yesterday')).err).toMatch(/--from: 'yesterday' is not an ISO date/);
  });

  it('explains a missing database', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'switchyard-usage-'));
    dirs.push(cwd);
    const { code, err } = await usage(cwd);
    expect(code).toBe(1);
    expect(err).toMatch(/no database at .*run the gateway first/);
  });
});
