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

  test('the result records the model the server ran and that it was a simulator', async () => {
    const out = join(dir, 'served.json');
    const r = await runCli([
      'bench',
      '--target',
      sim.origin,
      '--model',
      'sim-llama',
      '--concurrency',
      '1',
      '--max-requests',
      '2',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({
      model: 'sim-llama',
      servedModel: 'sim-llama',
      simulated: true,
    });
    expect(r.stdout).toContain('(simulated server)');
  });

  test('a throughput measured on another model is refused; a simulated one is flagged', async () => {
    const out = join(dir, 'llama-8b.json');
    await runCli([
      'bench',
      '--target',
      sim.origin,
      '--model',
      'meta-llama/Llama-3.1-8B-Instruct',
      '--concurrency',
      '2',
      '--max-requests',
      '4',
      '--out',
      out,
    ]);
    const seventy = await runCli([
      'capacity',
      '--model',
      'llama-3.3-70b',
      '--quant',
      'fp8',
      '--gpu',
      'h100',
      '--concurrency',
      '2',
      '--bench',
      out,
    ]);
    expect(seventy.code).toBe(2);
    expect(seventy.stderr).toContain(
      'measured meta-llama/Llama-3.1-8B-Instruct (Llama 3.1 8B), but the plan sizes Llama 3.3 70B',
    );
    const breakeven = await runCli([
      'breakeven',
      '--tokens-per-month',
      '1B',
      '--api-model',
      'gpt-4o',
      '--gpu',
      'h100',
      '--model',
      'llama-3.3-70b',
      '--quant',
      'fp8',
      '--bench',
      out,
    ]);
    expect(breakeven.code).toBe(2);
    const eight = await runCli([
      'capacity',
      '--model',
      'llama-3.1-8b',
      '--gpu',
      'h100',
      '--concurrency',
      '2',
      '--bench',
      out,
    ]);
    expect(eight.code).toBe(0);
    expect(eight.stderr).toMatch(/warning: llama-8b.json was measured against a simulated server/);
  });

  test('progress on a terminal stderr: one bar per level, labelled with it, that never goes backwards; a line as each level ends', async () => {
    const r = await runCli(
      [
        'bench',
        '--target',
        sim.origin,
        '--model',
        'sim-llama',
        '--concurrency',
        '1,3',
        '--max-requests',
        '9',
        '--json',
      ],
      { stderrIsTTY: true },
    );
    expect(r.code).toBe(0);
    const frames = r.stderr.split(/[\r\n]/).filter((l) => l.startsWith('bench concurrency'));
    const byLevel = new Map<string, number[]>();
    for (const frame of frames) {
      const m = /^(bench concurrency \d+ \(level \d of 2\)) \[[#.]+\]\s+(\d+)%$/.exec(frame);
      expect(m, frame).not.toBeNull();
      if (!m) continue;
      byLevel.set(m[1], [...(byLevel.get(m[1]) ?? []), Number(m[2])]);
    }
    expect([...byLevel.keys()]).toEqual([
      'bench concurrency 1 (level 1 of 2)',
      'bench concurrency 3 (level 2 of 2)',
    ]);
    for (const pcts of byLevel.values()) {
      expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
      expect(pcts[pcts.length - 1]).toBe(100);
    }
    const levelLines = r.stderr.split('\n').filter((l) => l.startsWith('bench: concurrency'));
    expect(levelLines).toHaveLength(2);
    expect(levelLines[0]).toMatch(
      /^bench: concurrency 1: 9 done, 0 errors in [\d.]+ s, [\d.]+ output tokens\/s/,
    );
    // the first level's line comes before the second level's bar
    expect(r.stderr.indexOf('bench: concurrency 1:')).toBeLessThan(r.stderr.indexOf('bench concurrency 3'));
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
    [['--target', 'http://x', '--model', 'm', '--concurrency', '0']],
    [['--target', 'http://x', '--model', 'm', '--duration-s', '0']],
    [['--target', 'http://x', '--model', 'm', '--max-requests=-1']],
  ])('bad flags are a usage error: %j', async (args) => {
    expect((await runCli(['bench', ...args])).code).toBe(2);
  });
});
