import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { syntheticExamples } from '../complexity-router/synthetic-data.js';
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
    writeFileSync(
      join(dir, 'bench.jsonl'),
      jsonl(
        syntheticExamples(80, 8).map((e) => ({
          prompt: e.input,
          strong: e.strong,
          weak: e.weak,
          benchmark: 'exams',
          group: 'synthetic',
        })),
      ),
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
        '--holdout',
        '0',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
  });

  it('train takes rows in the shared shape from any JSONL and reports a held-out share against the shipped router and the length rule', async () => {
    const rows = syntheticExamples(300, 9).map((e, i) => ({
      prompt: e.input,
      strong: e.strong,
      weak: e.weak,
      benchmark: i % 3 === 0 ? 'shadow-support' : 'shadow-code',
      group: 'judged traffic',
    }));
    writeFileSync(join(dir, 'shadow.jsonl'), jsonl(rows));
    const io = fakeIO({ cwd: dir });
    expect(
      await main(
        ['router', 'train', '--data', 'shadow.jsonl', '--out', 'shadow-router.json', '--bootstrap', '50'],
        io,
      ),
    ).toBe(0);
    const out = io.out();
    expect(out).toMatch(/hyper-parameters: .*inner leave-one-benchmark-out cross-validation/);
    const held = /Held-out rows \((\d+), 20% by prompt hash\)/.exec(out);
    expect(held).not.toBeNull();
    const heldRows = Number(held![1]);
    expect(heldRows).toBeGreaterThan(30);
    expect(heldRows).toBeLessThan(100);
    expect(out).toMatch(/^new router\s+\d\.\d{3} \[/m);
    expect(out).toMatch(/^shipped default\s+\d\.\d{3} \[/m);
    expect(out).toMatch(/^length rule\s+\d\.\d{3} \[/m);
    // Each difference is the first router's APGR minus the second's, on the same rows.
    const apgrOf = (name: string) => Number(new RegExp(`^${name}\\s+(\\d\\.\\d{3}) \\[`, 'm').exec(out)![1]);
    const diff = Number(/new router − shipped default, APGR: ([+-]\d\.\d{3}) \[/.exec(out)![1]);
    expect(diff).toBeCloseTo(apgrOf('new router') - apgrOf('shipped default'), 2);
    const vsLength = Number(/new router − length rule, APGR: ([+-]\d\.\d{3}) \[/.exec(out)![1]);
    expect(vsLength).toBeCloseTo(apgrOf('new router') - apgrOf('length rule'), 2);
    const model = JSON.parse(readFileSync(join(dir, 'shadow-router.json'), 'utf8')) as {
      metadata: { examples: number; trainingData: string };
    };
    // The router written is the one measured: trained without the held-out rows.
    expect(model.metadata.examples).toBe(300 - heldRows);
    expect(model.metadata.trainingData).toMatch(/held out/);
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

  it('eval prints, per benchmark, APGR and the cost of 50% and 80% of the gap beside the length rule and random, and a calibration table', async () => {
    const io = fakeIO({ cwd: dir });
    expect(
      await main(
        [
          'router',
          'eval',
          '--model',
          'router.json',
          '--data',
          'test.jsonl',
          '--data',
          'bench.jsonl',
          '--bootstrap',
          '50',
        ],
        io,
      ),
    ).toBe(0);
    const out = io.out();
    expect(out).toMatch(/^## all rows$/m);
    expect(out).toMatch(/^## rows without a benchmark$/m);
    expect(out).toMatch(/^## exams$/m);
    expect(out).toMatch(/strong calls for 50% of gap\s+strong calls for 80% of gap/);
    expect(out).toMatch(/^router\s+\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]\s+\d+\.\d% \[/m);
    expect(out).toMatch(/^length rule\s/m);
    expect(out).toMatch(/^random\s/m);
    expect(out).toMatch(/router − length rule, APGR: [+-]\d\.\d{3} \[/);
    expect(out).toMatch(/^Calibration \(exams\)/m);
    expect(out).toMatch(/^score band\s+requests\s+share\s+mean score\s+strong better\s+mean gain$/m);

    const json = fakeIO({ cwd: dir });
    expect(
      await main(
        [
          'router',
          'eval',
          '--model',
          'router.json',
          '--data',
          'test.jsonl',
          '--data',
          'bench.jsonl',
          '--bootstrap',
          '50',
          '--json',
        ],
        json,
      ),
    ).toBe(0);
    const report = JSON.parse(json.out()) as {
      rows: number;
      router: { cpt80: { value: number } };
      benchmarks: {
        benchmark: string;
        comparison: {
          rows: number;
          router: { apgr: { value: number; low: number; high: number } };
          random: { apgr: { value: number } };
        };
      }[];
    };
    expect(report.benchmarks.map((b) => b.benchmark)).toEqual(['rows without a benchmark', 'exams']);
    // The whole file's figures stay at the top level for 'plan --router-eval'.
    expect(report.rows).toBe(200);
    expect(report.router.cpt80.value).toBeGreaterThan(0);
    const figures = report.benchmarks[0].comparison;
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
    expect(help.out()).toMatch(/--holdout/);
  });
});
