import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { syntheticExamples } from '../router/synthetic-data.js';
import { fakeIO } from '../support/fake-io.js';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-router-'));

function jsonl(rows: unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

describe('switchyard router', () => {
  beforeAll(async () => {
    const rows = syntheticExamples(240, 5).map((e, i) =>
      i % 2 === 0
        ? { prompt: e.input, strong: e.strong, weak: e.weak }
        : { messages: [{ role: 'user', content: e.input }], strong: e.strong, weak: e.weak },
    );
    writeFileSync(join(dir, 'labelled.jsonl'), jsonl(rows));
    writeFileSync(
      join(dir, 'test.jsonl'),
      jsonl(syntheticExamples(120, 6).map((e) => ({ prompt: e.input, strong: e.strong, weak: e.weak }))),
    );
    const io = fakeIO({ cwd: dir });
    const code = await main(
      [
        'router',
        'train',
        '--data',
        'labelled.jsonl',
        '--out',
        'router.json',
        '--hash-bits',
        '12',
        '--epochs',
        '60',
        '--l2',
        '0.001',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
  });

  it('train writes a router.json with its training description', () => {
    const model = JSON.parse(readFileSync(join(dir, 'router.json'), 'utf8')) as {
      format: string;
      metadata: { examples: number; trainingData: string };
      calibration: { scoreQuantiles: number[] };
    };
    expect(model.format).toBe('switchyard-complexity-router');
    expect(model.metadata.examples).toBe(240);
    expect(model.metadata.trainingData).toContain('labelled.jsonl');
    expect(model.calibration.scoreQuantiles.length).toBeGreaterThan(10);
  });

  it('score prints one {"score"} line per input line, harder requests higher', async () => {
    const stdin = jsonl([
      { prompt: 'Solve the differential equation for cats and stars.' },
      { messages: [{ role: 'user', content: 'Say hello to trains and maps.' }] },
      { prompt: 'Prove that the integral of rivers and clocks.' },
    ]);
    const io = fakeIO({ cwd: dir, stdin });
    expect(await main(['router', 'score', '--model', 'router.json'], io)).toBe(0);
    const lines = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { score: number });
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(Object.keys(l)).toEqual(['score']);
    expect(lines[0].score).toBeGreaterThan(lines[1].score);
    expect(lines[2].score).toBeGreaterThan(lines[1].score);

    const again = fakeIO({ cwd: dir, stdin });
    await main(['router', 'score', '--model', 'router.json'], again);
    expect(again.out()).toBe(io.out());
  });

  it('score adds the route when given a strong-call share, and uses the shipped router without --model', async () => {
    const stdin = readFileSync(join(dir, 'labelled.jsonl'), 'utf8');
    const io = fakeIO({ cwd: dir, stdin });
    expect(await main(['router', 'score', '--model', 'router.json', '--strong-share', '0.25'], io)).toBe(0);
    const lines = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { score: number; route: string });
    expect(lines).toHaveLength(240);
    const strong = lines.filter((l) => l.route === 'strong');
    const weak = lines.filter((l) => l.route === 'weak');
    expect(strong.length + weak.length).toBe(240);
    expect(strong.length / 240).toBeGreaterThan(0.2);
    expect(strong.length / 240).toBeLessThan(0.3);
    expect(Math.min(...strong.map((l) => l.score))).toBeGreaterThan(Math.max(...weak.map((l) => l.score)));

    const shipped = fakeIO({ cwd: dir, stdin: jsonl([{ prompt: 'What is 2 + 2?' }]) });
    expect(await main(['router', 'score'], shipped)).toBe(0);
    const { score } = JSON.parse(shipped.out()) as { score: number };
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(1);
  });

  it('eval prints APGR and CPT with intervals for the router and both baselines', async () => {
    const io = fakeIO({ cwd: dir });
    expect(
      await main(
        ['router', 'eval', '--model', 'router.json', '--data', 'test.jsonl', '--bootstrap', '50'],
        io,
      ),
    ).toBe(0);
    const out = io.out();
    expect(out).toMatch(/APGR/);
    expect(out).toMatch(/CPT\(50%\)/);
    expect(out).toMatch(/CPT\(80%\)/);
    expect(out).toMatch(/^router\s+\d\.\d{3} \[/m);
    expect(out).toMatch(/^random\s/m);
    expect(out).toMatch(/^longest-prompt\s/m);

    const json = fakeIO({ cwd: dir });
    expect(
      await main(
        ['router', 'eval', '--model', 'router.json', '--data', 'test.jsonl', '--bootstrap', '50', '--json'],
        json,
      ),
    ).toBe(0);
    const figures = JSON.parse(json.out()) as {
      rows: number;
      router: { apgr: { value: number; low: number; high: number } };
      random: { apgr: { value: number } };
    };
    expect(figures.rows).toBe(120);
    // 40% of requests gain from the strong model: a perfect ranking scores 1 − 0.4 / 2 = 0.8.
    expect(figures.router.apgr.value).toBeGreaterThan(0.75);
    expect(figures.router.apgr.value).toBeGreaterThan(figures.random.apgr.value);
  });

  it('reports bad input with the line number and bad flags as usage errors', async () => {
    const bad = fakeIO({ cwd: dir, stdin: '{"prompt":"ok"}\n{"nothing":1}\n' });
    expect(await main(['router', 'score', '--model', 'router.json'], bad)).toBe(1);
    expect(bad.err()).toMatch(/line 2/);

    const flag = fakeIO({ cwd: dir });
    expect(await main(['router', 'train', '--data', 'labelled.jsonl'], flag)).toBe(2);
    expect(flag.err()).toMatch(/--out/);

    const unknown = fakeIO({ cwd: dir });
    expect(await main(['router', 'score', '--bogus'], unknown)).toBe(2);

    const sub = fakeIO({ cwd: dir });
    expect(await main(['router', 'explain'], sub)).toBe(2);

    const help = fakeIO({ cwd: dir });
    expect(await main(['router', 'train', '--help'], help)).toBe(0);
    expect(help.out()).toMatch(/--epochs/);
  });
});
