import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import { parseCases } from '../../src/eval/case/read-cases.js';
import type { EvalReport } from '../../src/eval/report/eval-report.js';
import { EvalStore } from '../../src/eval/store/eval-store.js';
import { createRecordStore } from '../../src/records/sqlite-record-store.js';
import { fakeIO } from '../support/fake-io.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';
import {
  COMPLETION_TOKENS,
  PRICES,
  PROMPT_TOKENS,
  casesJsonl,
  fakeModelsConfig,
  startFakeModels,
  type FakeModels,
} from '../eval/support/fake-models.js';

let fake: FakeModels;

beforeAll(async () => {
  fake = await startFakeModels();
});

afterAll(async () => {
  await fake?.close();
});

/** A folder with cases.jsonl and gateway.yaml (records in ./data, bodies kept). */
function workspace(withExpected = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-eval-'));
  writeFileSync(join(dir, 'cases.jsonl'), casesJsonl(withExpected));
  writeFileSync(join(dir, 'gateway.yaml'), stringify(fakeModelsConfig(fake.upstream.url, 'data')));
  return dir;
}

async function cli(dir: string, argv: string[], env: Record<string, string> = {}) {
  const io = fakeIO({ cwd: dir, env });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const usd = (
  tokensIn: number,
  tokensOut: number,
  p: { inputPerMillionUsd: number; outputPerMillionUsd: number },
) => (tokensIn * p.inputPerMillionUsd + tokensOut * p.outputPerMillionUsd) / 1e6;

const runIdOf = (text: string) => /eval (ev-[\w-]+)/.exec(text)![1];

describe('switchyard eval run --config (gateway in-process)', () => {
  it('scores both models, judges blind in both orders, and prices every call', async () => {
    const dir = workspace();
    const { code, err } = await cli(dir, [
      'eval',
      'run',
      '--dataset',
      'cases.jsonl',
      '--baseline',
      'gpt-4o',
      '--candidate',
      'llama-70b',
      '--scorer',
      'exact',
      '--scorer',
      'judge',
      '--judge',
      'judge',
      '--judge-both-orders',
      '1',
      '--config',
      'gateway.yaml',
      '--format',
      'json',
      '--out',
      'report.json',
    ]);
    expect(err).toMatch(
      /eval ev-[\w-]+: 10 cases, gpt-4o \(baseline\) vs llama-70b \(candidate\), scorers exact, judge/,
    );
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as EvalReport;
    expect(report.run).toMatchObject({ status: 'finished', cases: 10, casesComplete: 10, judge: 'judge' });

    // The weak model misses 3 capitals of 10: 1.0 against 0.7, three losses, no wins.
    const exact = report.scorers.find((s) => s.scorer === 'exact')!.comparison!;
    expect(exact.baseline.estimate).toBe(1);
    expect(exact.candidate.estimate).toBeCloseTo(0.7, 12);
    expect(exact.difference.estimate).toBeCloseTo(-0.3, 12);
    // 0.7^10 = 2.8% of resamples draw none of the three misses: the upper end is exactly 0.
    expect(exact.difference.low).toBeLessThan(-0.5);
    expect(exact.difference.high).toBe(0);
    expect(exact.winTieLoss).toEqual({ wins: 0, ties: 7, losses: 3 });
    // Three differences of −1 among zeros: 2 of 2^3 sign patterns are as extreme; the sign test agrees.
    expect(exact.permutation.pValue).toBeCloseTo(0.25, 12);
    expect(exact.signTest.pValue).toBeCloseTo(0.25, 12);

    const judge = report.scorers.find((s) => s.scorer === 'judge')!.pairwise!;
    expect(judge.winTieLoss).toEqual({ wins: 0, ties: 7, losses: 3 });
    expect(judge.positionBias).toEqual({ judgedBothOrders: 10, disagreements: 0, rate: 0 });

    const b = report.models.baseline;
    const c = report.models.candidate;
    expect(b.cost.pricedUsd).toBeCloseTo(10 * usd(PROMPT_TOKENS, COMPLETION_TOKENS, PRICES.gold), 12);
    expect(c.cost.pricedUsd).toBeCloseTo(10 * usd(PROMPT_TOKENS, COMPLETION_TOKENS, PRICES.weak), 12);
    expect(b.cost.sources).toEqual(['deployment gold-dep: config: deployments[gold-dep].prices']);
    expect(b.servedBy).toEqual({ 'gold-dep': 10 });
    // Each case judged twice, priced apart from the models.
    expect(report.evaluationSpend.calls).toBe(20);
    expect(report.evaluationSpend.pricedUsd).toBeCloseTo(
      20 * usd(PROMPT_TOKENS, COMPLETION_TOKENS, PRICES.judge),
      12,
    );

    // Every call the run made carries its tag in the gateway's records; judge calls say so.
    const records = createRecordStore({ dataDir: join(dir, 'data'), batchIntervalMs: 1000, batchSize: 1000 });
    const rows = await records.query({ limit: 1000 });
    await records.close();
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.tags?.eval_run === report.run.id)).toBe(true);
    expect(rows.filter((r) => r.tags?.eval_role === 'judge').map((r) => r.deploymentId)).toEqual(
      Array(20).fill('judge-dep'),
    );

    // The same run as Markdown and HTML, from the store alone.
    const md = await cli(dir, [
      'eval',
      'report',
      report.run.id,
      '--config',
      'gateway.yaml',
      '--format',
      'markdown',
    ]);
    expect(md.code).toBe(0);
    expect(md.out).toContain('| difference (candidate − baseline) | −0.300 |');
    expect(md.out).toContain('| position disagreement | 0.0% |');
    const html = await cli(dir, [
      'eval',
      'report',
      report.run.id,
      '--data-dir',
      'data',
      '--out',
      'report.html',
    ]);
    expect(html.code).toBe(0);
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<td>tr</td><td class="r">1.000</td><td class="r">0.000</td>');
    const text = await cli(dir, ['eval', 'report', report.run.id, '--data-dir', 'data']);
    expect(text.out).toContain('no difference detected');
  });

  it('scores embedding similarity and agreement with the baseline when cases have no expected answer', async () => {
    const dir = workspace(false);
    const { code } = await cli(dir, [
      'eval',
      'run',
      '--dataset',
      'cases.jsonl',
      '--baseline',
      'gpt-4o',
      '--candidate',
      'llama-70b',
      '--scorer',
      'normalized',
      '--scorer',
      'embedding',
      '--embedding-model',
      'embedder',
      '--config',
      'gateway.yaml',
      '--format',
      'json',
      '--out',
      'report.json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as EvalReport;
    const agreement = report.scorers.find((s) => s.scorer === 'normalized')!;
    expect(agreement.comparison).toBeUndefined();
    expect(agreement.agreement).toMatchObject({ n: 10, candidate: { estimate: 0.7 } });
    // Sydney vs Canberra and Toronto vs Ottawa share only the constant component: cosine 0.01 / 1.01.
    // Istanbul and Ankara are both outside the fake vocabulary, so their vectors are equal.
    const embedding = report.scorers.find((s) => s.scorer === 'embedding')!.agreement!;
    expect(embedding.candidate.estimate).toBeCloseTo((8 + 2 * (0.01 / 1.01)) / 10, 9);
    expect(report.evaluationSpend.calls).toBe(10);
  });
});

describe('a self-hosted candidate', () => {
  it("is priced with its share of GPU time from the gateway's own records", async () => {
    const dir = workspace();
    const config = fakeModelsConfig(fake.upstream.url, 'data');
    const weak = config.deployments!.find((d) => d.id === 'weak-dep')!;
    delete weak.prices;
    weak.selfHosted = { gpuCount: 1, gpuHourlyUsd: 3.6, capacityConcurrency: 4 };
    writeFileSync(join(dir, 'gateway.yaml'), stringify(config));
    const { code } = await cli(dir, [
      'eval',
      'run',
      '--dataset',
      'cases.jsonl',
      '--baseline',
      'gpt-4o',
      '--candidate',
      'llama-70b',
      '--scorer',
      'exact',
      '--config',
      'gateway.yaml',
      '--format',
      'json',
      '--out',
      'report.json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as EvalReport;
    const cost = report.models.candidate.cost;
    expect(cost.unpricedCalls).toBe(0);
    expect(cost.sources).toEqual(["deployment weak-dep: its share of GPU time, from the gateway's record"]);
    // $3.60 an hour is $0.001 a second: ten short calls cost a small, non-zero share of it.
    expect(cost.pricedUsd).toBeGreaterThan(0);
    expect(cost.pricedUsd).toBeLessThan(0.001);
    const records = createRecordStore({ dataDir: join(dir, 'data'), batchIntervalMs: 1000, batchSize: 1000 });
    const rows = (await records.query({ limit: 100 })).filter((r) => r.deploymentId === 'weak-dep');
    await records.close();
    expect(cost.pricedUsd).toBeCloseTo(
      rows.reduce((sum, r) => sum + (r.costUsd ?? 0), 0),
      12,
    );
  });
});

describe('switchyard eval run --gateway URL', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(fakeModelsConfig(fake.upstream.url));
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('retries what can be retried, reports what failed, and leaves unknown prices unknown', async () => {
    const dir = workspace();
    // The gateway retries an upstream 5xx twice itself and answers 502 when all three fail, so each
    // failed answer costs three injected failures. 3 × 503 then 9 × 500: the first case's candidate
    // call fails all three of its tries, the second case's succeeds on its second try.
    fake.failNext('weak', 3, 503);
    fake.failNext('weak', 9, 500);
    const { code, err } = await cli(
      dir,
      [
        'eval',
        'run',
        '--dataset',
        'cases.jsonl',
        '--baseline',
        'gpt-4o',
        '--candidate',
        'llama-70b',
        '--scorer',
        'exact',
        '--gateway',
        gw.url,
        '--retries',
        '2',
        '--concurrency',
        '1',
        '--format',
        'json',
        '--out',
        'report.json',
      ],
      { SWITCHYARD_API_KEY: MASTER_KEY },
    );
    expect(code).toBe(0);
    expect(err).toContain('retried calls: 3 after 502');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as EvalReport;
    expect(report.failures).toEqual([
      expect.objectContaining({ caseId: 'fr', role: 'candidate', status: 502, attempts: 3 }),
    ]);
    const store = EvalStore.open(join(dir, '.switchyard'));
    const second = store.calls(report.run.id).find((c) => c.caseId === 'de' && c.role === 'candidate');
    store.close();
    expect(second).toMatchObject({ attempts: 2, output: { text: 'Berlin' } });
    expect(report.models.candidate).toMatchObject({ calls: 10, failed: 1 });
    // gpt-4o is in the catalogue (its source and the date it was read are named); the weak model's
    // upstream name and llama-70b are not priced there.
    expect(report.models.baseline.cost.unpricedCalls).toBe(0);
    expect(report.models.baseline.cost.sources[0]).toMatch(
      /^model gpt-4o: https:\/\/\S+.*, read \d{4}-\d{2}-\d{2}$/,
    );
    expect(report.models.candidate.cost).toMatchObject({ pricedUsd: 0, unpricedCalls: 9, perCaseUsd: null });
    const text = await cli(dir, ['eval', 'report', report.run.id]);
    expect(text.out).toMatch(/candidate\s+llama-70b\s+10\s+1 .* unknown \(9 unpriced calls\)/);
  });

  it('refuses a missing key and unknown runs with a usage error', async () => {
    const dir = workspace();
    const noKey = await cli(dir, [
      'eval',
      'run',
      '--dataset',
      'cases.jsonl',
      '--baseline',
      'a',
      '--candidate',
      'b',
      '--scorer',
      'exact',
      '--gateway',
      gw.url,
    ]);
    expect(noKey.code).toBe(1);
    expect(noKey.err).toContain('no API key for the gateway: set SWITCHYARD_API_KEY');
    const badKey = await cli(
      dir,
      [
        'eval',
        'run',
        '--dataset',
        'cases.jsonl',
        '--baseline',
        'a',
        '--candidate',
        'b',
        '--scorer',
        'exact',
        '--gateway',
        gw.url,
      ],
      { SWITCHYARD_API_KEY: 'sk-wrong' },
    );
    expect(badKey.code).toBe(1);
    expect(badKey.err).toContain(`the gateway at ${gw.url}/v1 refused the API key (401)`);
    const changed = await cli(dir, [
      'eval',
      'run',
      '--resume',
      'ev-x',
      '--judge-prompt',
      'p.md',
      '--gateway',
      gw.url,
    ]);
    expect(changed.code).toBe(2);
    expect(changed.err).toContain(
      '--resume continues a run as it was started; --judge-prompt cannot change it',
    );
    const unknown = await cli(dir, ['eval', 'report', 'ev-nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("no eval run 'ev-nope'");
    const noScorer = await cli(dir, [
      'eval',
      'run',
      '--dataset',
      'cases.jsonl',
      '--baseline',
      'a',
      '--candidate',
      'b',
      '--gateway',
      gw.url,
    ]);
    expect(noScorer).toMatchObject({ code: 2 });
    expect(noScorer.err).toContain('eval run needs at least one --scorer');
    const badScorer = await cli(
      dir,
      [
        'eval',
        'run',
        '--dataset',
        'cases.jsonl',
        '--baseline',
        'a',
        '--candidate',
        'b',
        '--scorer',
        'bleu2',
        '--gateway',
        gw.url,
      ],
      { SWITCHYARD_API_KEY: MASTER_KEY },
    );
    expect(badScorer.code).toBe(1);
    expect(badScorer.err).toContain("unknown scorer 'bleu2'");
    const store = EvalStore.open(join(dir, '.switchyard'));
    expect(store.listRuns()).toHaveLength(0);
    store.close();
  });
});

describe('eval run after a kill', () => {
  it('resumes from what it stored, never sending a stored call again', async () => {
    const dir = workspace();
    fake.delay('weak', 150);
    fake.delay('gold', 150);
    const before = { gold: fake.served('gold'), weak: fake.served('weak') };
    const child = spawn(
      process.execPath,
      [
        'node_modules/vite-node/vite-node.mjs',
        'test/cli/run-cli.ts',
        'eval',
        'run',
        '--dataset',
        join(dir, 'cases.jsonl'),
        '--baseline',
        'gpt-4o',
        '--candidate',
        'llama-70b',
        '--scorer',
        'exact',
        '--config',
        join(dir, 'gateway.yaml'),
        '--data-dir',
        join(dir, 'data'),
        '--concurrency',
        '2',
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal ? -1 : _code)),
    );
    // Wait until a few cases are stored, then kill the process outright.
    let runId = '';
    let stored = 0;
    for (let i = 0; i < 400 && stored < 6; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (!runId && /eval ev-/.test(stderr)) runId = runIdOf(stderr);
      if (runId) {
        const store = EvalStore.open(join(dir, 'data'));
        stored = store.calls(runId).length;
        store.close();
      }
    }
    child.kill('SIGKILL');
    expect(await exited).toBe(-1);
    expect(stored).toBeGreaterThanOrEqual(6);
    const store = EvalStore.open(join(dir, 'data'));
    const storedBefore = store.calls(runId);
    store.close();
    expect(storedBefore.length).toBeLessThan(20);
    fake.delay('weak', 0);
    fake.delay('gold', 0);

    const resumed = await cli(dir, [
      'eval',
      'run',
      '--resume',
      runId,
      '--config',
      'gateway.yaml',
      '--data-dir',
      'data',
      '--format',
      'json',
    ]);
    expect(resumed.err).toContain(`eval ${runId} resumed: 10 cases`);
    expect(resumed.code).toBe(0);
    const report = JSON.parse(resumed.out) as EvalReport;
    expect(report.run.status).toBe('finished');
    expect(report.scorers[0].comparison).toMatchObject({
      n: 10,
      winTieLoss: { wins: 0, ties: 7, losses: 3 },
    });

    const after = EvalStore.open(join(dir, 'data'));
    const calls = after.calls(runId);
    after.close();
    expect(calls).toHaveLength(20);
    // Stored rows are untouched; each question reached each model at most once more than stored
    // (a call in flight at the kill is sent again), and the stored ones were never re-sent.
    for (const c of storedBefore) expect(calls).toContainEqual(c);
    const sent = { gold: fake.served('gold') - before.gold, weak: fake.served('weak') - before.weak };
    const storedGold = storedBefore.filter((c) => c.role === 'baseline').length;
    const storedWeak = storedBefore.filter((c) => c.role === 'candidate').length;
    // Before the kill at most `concurrency` (2) calls were in flight and lost.
    expect(sent.gold + sent.weak).toBeLessThanOrEqual(20 + 2);
    expect(sent.gold).toBeGreaterThanOrEqual(10);
    expect(sent.weak).toBeGreaterThanOrEqual(10);
    expect(storedGold + storedWeak).toBe(storedBefore.length);
  });
});

describe('eval compare and list', () => {
  it('compares two runs case by case and lists them', async () => {
    const dir = workspace();
    const base = [
      '--dataset',
      'cases.jsonl',
      '--baseline',
      'gpt-4o',
      '--scorer',
      'exact',
      '--config',
      'gateway.yaml',
    ];
    const a = await cli(dir, ['eval', 'run', ...base, '--candidate', 'llama-70b']);
    const b = await cli(dir, ['eval', 'run', ...base, '--candidate', 'gpt-4o']);
    const [idA, idB] = [runIdOf(a.err), runIdOf(b.err)];
    const cmp = await cli(dir, ['eval', 'compare', idA, idB, '--config', 'gateway.yaml', '--format', 'json']);
    expect(cmp.code).toBe(0);
    const c = JSON.parse(cmp.out);
    expect(c).toMatchObject({ commonCases: 10, sameDataset: true, role: 'candidate' });
    expect(c.scorers[0].comparison.difference.estimate).toBeCloseTo(0.3, 12);
    expect(c.scorers[0].comparison.winTieLoss).toEqual({ wins: 3, ties: 7, losses: 0 });
    const list = await cli(dir, ['eval', 'list', '--config', 'gateway.yaml']);
    expect(list.out.trim().split('\n')).toHaveLength(2);
    expect(list.out).toMatch(new RegExp(`^${idB} .* finished +10 cases +gpt-4o vs gpt-4o +exact$`, 'm'));
  });
});

describe('eval dataset and readiness from recorded traffic', () => {
  it('turns a route sample into cases, and lists what the candidate would break', async () => {
    const dir = workspace();
    const gw = await startTestGateway(fakeModelsConfig(fake.upstream.url));
    const openai = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
    const headers = { headers: { 'x-switchyard-workload': 'support' } };
    const ask = (body: Omit<OpenAI.ChatCompletionCreateParamsNonStreaming, 'model'>) =>
      openai.chat.completions.create({ model: 'gpt-4o', ...body }, headers);
    const user = (content: string) => [{ role: 'user' as const, content }];
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_forecast',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' }, days: { type: 'integer' } },
            required: ['city', 'days'],
          },
        },
      },
    ];
    await ask({ messages: user('Umbrella in Lyon tomorrow?'), tools });
    await ask({ messages: user('Status as JSON please'), response_format: { type: 'json_object' } });
    await ask({
      messages: user('Extract the invoice'),
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'invoice',
          schema: {
            type: 'object',
            properties: { number: { type: 'string' }, total: { type: 'number' } },
            required: ['number', 'total'],
          },
        },
      },
    });
    await ask({ messages: user('Two lines please'), stop: ['\n\n'] });
    await ask({ messages: user('Summarise briefly'), max_tokens: 8 });
    await ask({ messages: user('LONG CONTEXT: a very long contract follows...') });
    await ask({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this photo?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    // The Anthropic Messages API on the same route becomes a case too.
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0 });
    await anthropic.messages.create(
      { model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'Hello from Claude Code' }] },
      { headers: { 'x-switchyard-workload': 'support' } },
    );
    // Traffic of other routes and of eval runs is left out.
    await openai.chat.completions.create({ model: 'gpt-4o', messages: user('not support') });
    await openai.chat.completions.create(
      { model: 'gpt-4o', messages: user('an eval call') },
      { headers: { 'x-switchyard-workload': 'support', 'x-switchyard-tags': 'eval_run=ev-1' } },
    );
    await gw.records();

    const set = await cli(dir, [
      'eval',
      'dataset',
      '--from-records',
      '--route',
      'support',
      '--sample',
      '100',
      '--data-dir',
      gw.dataDir,
      '--out',
      'support.jsonl',
    ]);
    expect(set.code).toBe(0);
    expect(set.err).toContain('8 cases from 8 successful requests of route support');
    const cases = parseCases(readFileSync(join(dir, 'support.jsonl'), 'utf8'));
    expect(cases.map((c) => c.messages[0].role)).toEqual(Array(8).fill('user'));
    expect(cases[0].tools?.[0].function.name).toBe('get_forecast');
    expect(cases[3].params).toEqual({ stop: ['\n\n'] });
    expect(cases[7].params).toMatchObject({ max_tokens: 100 });
    // A smaller sample is the same for the same seed.
    const s1 = await cli(dir, [
      'eval',
      'dataset',
      '--from-records',
      '--route',
      'support',
      '--sample',
      '3',
      '--seed',
      '7',
      '--data-dir',
      gw.dataDir,
    ]);
    const s2 = await cli(dir, [
      'eval',
      'dataset',
      '--from-records',
      '--route',
      'support',
      '--sample',
      '3',
      '--seed',
      '7',
      '--data-dir',
      gw.dataDir,
    ]);
    expect(s1.out).toBe(s2.out);
    expect(s1.out.trim().split('\n')).toHaveLength(3);

    const ready = await cli(
      dir,
      [
        'eval',
        'readiness',
        '--route',
        'support',
        '--candidate',
        'sloppy-70b',
        '--gateway',
        gw.url,
        '--data-dir',
        gw.dataDir,
        '--format',
        'json',
      ],
      { SWITCHYARD_API_KEY: MASTER_KEY },
    );
    expect(ready.code).toBe(0);
    const report = JSON.parse(ready.out);
    const byCheck = Object.fromEntries(
      report.checks.map(
        (c: { check: string; failing: number; applicable: number; examples: Array<{ detail: string }> }) => [
          c.check,
          { failing: c.failing, applicable: c.applicable, detail: c.examples[0]?.detail },
        ],
      ),
    );
    expect(report).toMatchObject({ replayed: 8, breaking: 7, matched: 8 });
    expect(byCheck.tool_calls).toEqual({
      failing: 1,
      applicable: 1,
      detail: 'wrote the tool call as text instead of a tool_calls entry',
    });
    expect(byCheck.json_mode).toMatchObject({ failing: 1, applicable: 1 });
    expect(byCheck.json_mode.detail).toMatch(/code fence/);
    expect(byCheck.structured_output.failing).toBe(1);
    expect(byCheck.structured_output.detail).toMatch(/^violates the schema: number: .*; total: /);
    expect(byCheck.stop_sequences).toMatchObject({ failing: 1, applicable: 1 });
    expect(byCheck.max_tokens).toMatchObject({ failing: 1, applicable: 8 });
    expect(byCheck.max_tokens.detail).toBe(
      "stopped at the token limit (8); the recorded answer ended with 'stop'",
    );
    expect(byCheck.context_length).toMatchObject({ failing: 1, applicable: 8 });
    expect(byCheck.images).toMatchObject({ failing: 1, applicable: 1 });
    expect(byCheck.other_errors.failing).toBe(0);
    const text = await cli(
      dir,
      [
        'eval',
        'readiness',
        '--route',
        'support',
        '--candidate',
        'sloppy-70b',
        '--gateway',
        gw.url,
        '--data-dir',
        gw.dataDir,
      ],
      { SWITCHYARD_API_KEY: MASTER_KEY },
    );
    expect(text.out).toContain('7 requests (87.5%) would break in at least one way');
    await gw.close();
  });
});
