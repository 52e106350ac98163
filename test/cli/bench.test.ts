import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/start-simulator.js';
import { runCli } from '../planner/cli-harness.js';

describe('switchyard bench', () => {
  let sim: Simulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 5, tokensPerSecond: 2000, outputTokens: 20, model: 'sim-llama' });
    dir = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('measures each concurrency level within its request budget', async () => {
    const out = join(dir, 'bench.json');
    const r = await runCli([
      'bench',
      '--target',
      sim.origin,
      '--model',
      'sim-llama',
      '--concurrency',
      '1,3',
      '--max-requests',
      '6',
      '--duration-s',
      '20',
      '--json',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.levels.map((l: { concurrency: number }) => l.concurrency)).toEqual([1, 3]);
    for (const level of j.levels) {
      expect(level.completed).toBe(6);
      expect(level.errors).toBe(0);
      expect(level.usageReported).toBe(true);
      expect(level.outputTokens).toBe(6 * 20);
      expect(level.outputTokensPerSecond).toBeGreaterThan(0);
      expect(level.ttftMs.p50).not.toBeNull();
      expect(level.interTokenMs.p50).not.toBeNull();
    }
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(j);
  });

  test('its result feeds the capacity planner', async () => {
    const out = join(dir, 'feed.json');
    await runCli([
      'bench',
      '--target',
      sim.url,
      '--model',
      'sim-llama',
      '--concurrency',
      '2',
      '--max-requests',
      '4',
      '--out',
      out,
    ]);
    const saved = JSON.parse(await readFile(out, 'utf8'));
    const r = await runCli([
      'capacity',
      '--model',
      'llama-3.1-8b',
      '--gpu',
      'l4',
      '--quant',
      'fp8',
      '--concurrency',
      '2',
      '--bench',
      out,
      '--json',
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.throughput_basis).toBe('measured');
    expect(j.output_tokens_per_second).toBeCloseTo(saved.levels[0].outputTokensPerSecond, 2);
  });

  test('a server that refuses connections is reported as errors, exit 1', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await runCli([
      'bench',
      '--target',
      `http://127.0.0.1:${port}`,
      '--model',
      'm',
      '--concurrency',
      '1',
      '--max-requests',
      '2',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/first error/);
  });

  test.each([
    [['--model', 'm']],
    [['--target', 'not a url', '--model', 'm']],
    [['--target', 'http://x', '--model', 'm', '--concurrency', 'a,b']],
  ])('bad flags are a usage error: %j', async (args) => {
    expect((await runCli(['bench', ...args])).code).toBe(2);
  });
});
