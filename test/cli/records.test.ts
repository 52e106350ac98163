import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createRecordStore } from '../../src/records/sqlite-record-store.js';
import type { RequestRecord } from '../../src/spec/request-record.js';
import { fakeCliIO } from '../records/fake-cli-io.js';
import { makeRecord } from '../records/make-record.js';
import { tempDataDir } from '../storage/temp-data-dir.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function workdir(): string {
  const t = tempDataDir();
  cleanups.push(t.remove);
  return t.dir;
}

/** Writes records the way the gateway does, into `<cwd>/.switchyard`. */
async function seed(cwd: string, records: RequestRecord[]): Promise<void> {
  const store = createRecordStore({
    dataDir: join(cwd, '.switchyard'),
    batchIntervalMs: 60_000,
    batchSize: 1000,
  });
  records.forEach((r) => store.append(r));
  await store.close();
}

async function run(cwd: string, ...argv: string[]) {
  const io = fakeCliIO(cwd);
  const code = await main(['records', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

const t0 = Date.UTC(2026, 10, 1, 9, 0, 0);

describe('switchyard records tail', () => {
  it('prints the last N requests as a table, oldest of them first', async () => {
    const cwd = workdir();
    await seed(cwd, [
      makeRecord({ startedAt: t0, modelRequested: 'old-model' }),
      makeRecord({
        startedAt: t0 + 1000,
        modelRequested: 'gpt-4o',
        deploymentId: 'vllm-llama',
        workload: 'support',
      }),
      makeRecord({
        startedAt: t0 + 2000,
        modelRequested: 'gpt-4o-mini',
        deploymentId: null,
        status: 502,
        errorCode: 'upstream_unreachable',
        inputTokens: 30,
        outputTokens: 7,
        latencyMs: 1234.4,
        ttftMs: null,
        workload: 'batch',
      }),
    ]);
    const { code, out } = await run(cwd, 'tail', '-n', '2');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/TIME.*STATUS.*MODEL.*TOKENS.*LATENCY.*TTFT.*WORKLOAD/);
    expect(lines[1]).toContain('gpt-4o → vllm-llama');
    expect(lines[1]).toContain('12/34');
    expect(lines[1]).toContain('support');
    expect(lines[2]).toMatch(/502/);
    expect(lines[2]).toContain('gpt-4o-mini → -');
    expect(lines[2]).toContain('30/7');
    expect(lines[2]).toContain('1234 ms');
    expect(lines[2]).toContain('upstream_unreachable');
    expect(out).not.toContain('old-model');
  });

  it('prints JSON lines with --json, filtered by workload', async () => {
    const cwd = workdir();
    await seed(cwd, [
      makeRecord({ id: 'a', workload: 'support' }),
      makeRecord({ id: 'b', workload: 'batch' }),
      makeRecord({ id: 'c', workload: 'support' }),
    ]);
    const { code, out } = await run(cwd, 'tail', '--json', '--workload', 'support');
    expect(code).toBe(0);
    const ids = out
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as RequestRecord).id);
    expect(ids).toEqual(['a', 'c']);
  });

  it('keeps printing new records with -f until asked to stop', async () => {
    const cwd = workdir();
    await seed(cwd, [makeRecord({ id: 'before' })]);
    const io = fakeCliIO(cwd);
    const done = main(['records', 'tail', '-f', '--json', '--interval-ms', '10'], io);
    await vi.waitFor(() => expect(io.out()).toContain('"before"'), { timeout: 5000, interval: 10 });

    await seed(cwd, [makeRecord({ id: 'after-1' }), makeRecord({ id: 'after-2' })]);
    await vi.waitFor(() => expect(io.out()).toContain('"after-2"'), { timeout: 5000, interval: 10 });
    io.stop();
    expect(await done).toBe(0);
    const ids = io
      .out()
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as RequestRecord).id);
    expect(ids).toEqual(['before', 'after-1', 'after-2']);
  });

  it('says where it looked when there is no database', async () => {
    const cwd = workdir();
    const { code, err } = await run(cwd, 'tail');
    expect(code).toBe(1);
    expect(err).toContain(join(cwd, '.switchyard', 'switchyard.db'));
  });
});

describe('switchyard records export', () => {
  it('writes CSV of a time range to stdout', async () => {
    const cwd = workdir();
    await seed(cwd, [
      makeRecord({ id: 'early', startedAt: t0 - 60_000 }),
      makeRecord({ id: 'in-range', startedAt: t0 + 1000, workload: 'a, "quoted"' }),
      makeRecord({ id: 'late', startedAt: t0 + 3_600_000 }),
    ]);
    const { code, out } = await run(
      cwd,
      'export',
      '--format',
      'csv',
      '--from',
      new Date(t0).toISOString(),
      '--to',
      new Date(t0 + 60_000).toISOString(),
    );
    expect(code).toBe(0);
    const lines = out.split('\r\n');
    expect(lines[0]).toMatch(/^id,started_at,/);
    expect(lines[1]).toMatch(/^in-range,/);
    expect(lines[1]).toContain('"a, ""quoted"""');
    expect(lines).toHaveLength(3);
  });

  it('writes JSONL to a file with --out, oldest first', async () => {
    const cwd = workdir();
    await seed(cwd, [
      makeRecord({ id: 'second', startedAt: t0 + 5 }),
      makeRecord({ id: 'first', startedAt: t0 }),
    ]);
    const { code, err } = await run(cwd, 'export', '--format', 'jsonl', '--out', 'records.jsonl');
    expect(code).toBe(0);
    expect(err).toContain('Exported 2 records');
    const lines = readFileSync(join(cwd, 'records.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as RequestRecord).id)).toEqual(['first', 'second']);
  });

  it('reads the data folder from --config', async () => {
    const cwd = workdir();
    const store = createRecordStore({ dataDir: join(cwd, 'var'), batchIntervalMs: 60_000, batchSize: 10 });
    store.append(makeRecord({ id: 'from-config' }));
    await store.close();
    writeFileSync(join(cwd, 'gw.yaml'), 'server:\n  dataDir: var\n');
    const { code, out } = await run(cwd, 'export', '--config', 'gw.yaml');
    expect(code).toBe(0);
    expect(out).toContain('"from-config"');
  });

  it('rejects a bad format or date as a usage error', async () => {
    const cwd = workdir();
    await seed(cwd, []);
    expect((await run(cwd, 'export', '--format', 'xml')).code).toBe(2);
    const badDate = await run(cwd, 'export', '--from', 'last tuesday');
    expect(badDate.code).toBe(2);
    expect(badDate.err).toContain('--from');
  });
});
