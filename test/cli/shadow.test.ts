import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { fakeIO } from '../support/fake-io.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** `switchyard shadow`: a route's stored pairs, scored and compared, or exported as router rows. */

let primary: Simulator;
let candidate: Simulator;
let gw: TestGateway;

beforeAll(async () => {
  primary = await startSimulator({ model: 'gpt-4o-sim', outputTokens: 12 });
  candidate = await startSimulator({ model: 'llama-sim', outputTokens: 12 });
  gw = await startTestGateway({
    deployments: [
      {
        id: 'gpt-4o',
        baseUrl: primary.url,
        model: 'gpt-4o-sim',
        prices: { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 },
      },
      {
        id: 'llama',
        baseUrl: candidate.url,
        model: 'llama-sim',
        location: 'internal',
        prices: { inputPerMillionUsd: 0.2, outputPerMillionUsd: 0.2 },
      },
    ],
    models: [{ name: 'assistant', deployments: ['gpt-4o'] }],
    routes: [
      {
        id: 'support',
        match: { model: 'assistant' },
        target: { deployment: 'gpt-4o' },
        shadow: { candidates: ['llama'], sample: 1, logBodies: true, score: { scorer: 'rouge-l' } },
      },
    ],
  });
  const client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
  for (const question of ['Where is my parcel?', 'How do I reset my password?', 'Can I change my address?'])
    await client.chat.completions.create({
      model: 'assistant',
      messages: [{ role: 'user', content: question }],
    });
  await new Promise((r) => setTimeout(r, 300));
  await gw.records();
});

afterAll(async () => {
  await gw?.close();
  await primary?.close();
  await candidate?.close();
});

describe('switchyard shadow', () => {
  it('report scores the pairs against what users were served, with costs on both sides', async () => {
    const io = fakeIO();
    expect(
      await main(
        ['shadow', 'report', '--route', 'support', '--data-dir', gw.dataDir, '--format', 'json'],
        io,
      ),
    ).toBe(0);
    const [report] = JSON.parse(io.out()) as Array<{
      candidate: string;
      pairs: number;
      report: {
        models: {
          baseline: { calls: number; cost: { pricedUsd: number } };
          candidate: { calls: number; cost: { pricedUsd: number } };
        };
        scorers: Array<{ scorer: string; agreement?: { n: number } }>;
      };
    }>;
    expect(report).toMatchObject({ candidate: 'llama', pairs: 3 });
    expect(report.report.scorers.map((s) => s.scorer).sort()).toEqual(['rouge-l', 'rouge-l (live)']);
    for (const scorer of report.report.scorers) expect(scorer.agreement?.n).toBe(3);
    expect(report.report.models.baseline.calls).toBe(3);
    // Each side is priced: the primary from its request record, the candidate by the record worker.
    expect(report.report.models.baseline.cost.pricedUsd).toBeGreaterThan(
      report.report.models.candidate.cost.pricedUsd,
    );
    expect(report.report.models.candidate.cost.pricedUsd).toBeGreaterThan(0);
    expect(report.report.models.candidate.calls).toBe(3);
  });

  it('report prints a table in the terminal', async () => {
    const io = fakeIO();
    expect(await main(['shadow', 'report', '--route', 'support', '--data-dir', gw.dataDir], io)).toBe(0);
    expect(io.out()).toContain('llama');
    expect(io.out()).toContain('rouge-l');
  });

  it('export writes router training rows from the live scores', async () => {
    const io = fakeIO();
    expect(
      await main(
        ['shadow', 'export', '--route', 'support', '--data-dir', gw.dataDir, '--format', 'router-rows'],
        io,
      ),
    ).toBe(0);
    const rows = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { prompt: string; strong: number; weak: number });
    expect(rows.map((r) => r.prompt).sort()).toEqual([
      'Can I change my address?',
      'How do I reset my password?',
      'Where is my parcel?',
    ]);
    for (const row of rows) {
      expect(row.strong).toBe(1);
      expect(row.weak).toBeGreaterThanOrEqual(0);
      expect(row.weak).toBeLessThanOrEqual(1);
    }
  });

  it('retrains the complexity router on the judged pairs', async () => {
    const out = join(gw.dataDir, 'router-from-shadow.json');
    const io = fakeIO();
    const code = await main(
      [
        'router',
        'train',
        '--from-shadow',
        'support',
        '--data-dir',
        gw.dataDir,
        '--holdout',
        '0',
        '--l2',
        '1',
        '--out',
        out,
      ],
      io,
    );
    expect(io.err()).toContain('3 judged shadow pairs of route support');
    expect(code).toBe(0);
    const model = JSON.parse(readFileSync(out, 'utf8')) as { metadata: { trainingData: string } };
    expect(model.metadata.trainingData).toContain('shadow pairs of route support');
  });

  it('says so when a route has no pairs', async () => {
    const io = fakeIO();
    expect(await main(['shadow', 'report', '--route', 'nothing', '--data-dir', gw.dataDir], io)).toBe(1);
    expect(io.err()).toContain("no shadow pairs for route 'nothing'");
  });
});
