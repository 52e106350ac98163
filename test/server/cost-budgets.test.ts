import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

const INPUT_PER_MILLION = 100;
const OUTPUT_PER_MILLION = 1000;
const MAX_TOKENS = 10;
const MESSAGES = [{ role: 'user' as const, content: 'Summarise the quarterly spend report.' }];

// What the gateway reserves before the call: OpenAI-counted input at the input price plus
// max_tokens at the output price (docs/cost.md, Budgets).
const INPUT_TOKENS = MESSAGES.reduce((sum, m) => sum + 3 + countTokens(m.role) + countTokens(m.content), 3);
const ESTIMATE_USD = (INPUT_TOKENS * INPUT_PER_MILLION + MAX_TOKENS * OUTPUT_PER_MILLION) / 1e6;
// Halfway between two whole requests, so float sums cannot tip the count either way.
const HARD_LIMIT_USD = ESTIMATE_USD * 7.5;
const SOFT_LIMIT_USD = ESTIMATE_USD * 3.9;

interface Alert {
  type: string;
  budgetId: string;
  scope: string;
  subject: string;
  mode: string;
  thresholdPct: number;
  usedUsd: number;
  limitUsd: number;
  windowStart: string;
  resetsAt: string;
}

let sim: Simulator;
let gw: TestGateway;
let client: OpenAI;
let hook: Server;
const alerts: Alert[] = [];

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      alerts.push(JSON.parse(body) as Alert);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/spend`;

  // Every answer fills max_tokens, so a request costs what it reserved when the input counts agree.
  sim = await startSimulator({ model: 'llama-sim', profile: 'vllm', outputTokens: 'max_tokens', ttftMs: 40 });
  gw = await startTestGateway({
    deployments: [
      {
        id: 'metered',
        baseUrl: sim.url,
        model: 'llama-sim',
        vendor: 'vllm',
        prices: { inputPerMillionUsd: INPUT_PER_MILLION, outputPerMillionUsd: OUTPUT_PER_MILLION },
        timeouts: { totalMs: 10_000, firstTokenMs: 8000, idleMs: 8000 },
      },
    ],
    models: [{ name: 'gpt-4o', deployments: ['metered'] }],
    cost: {
      budgets: [
        {
          id: 'batch-daily',
          scope: 'workload',
          match: 'batch',
          window: 'daily',
          limitUsd: HARD_LIMIT_USD,
          mode: 'hard',
        },
        {
          id: 'reports-soft',
          scope: 'workload',
          match: 'reports',
          window: 'daily',
          limitUsd: SOFT_LIMIT_USD,
          mode: 'soft',
          alertWebhook: hookUrl,
        },
      ],
    },
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await sim?.close();
  await new Promise<void>((resolve) => (hook ? hook.close(() => resolve()) : resolve()));
});

function ask(workload: string) {
  return client.chat.completions
    .create(
      { model: 'gpt-4o', messages: MESSAGES, max_tokens: MAX_TOKENS },
      { headers: { 'x-switchyard-workload': workload } },
    )
    .withResponse();
}

function nextUtcMidnight(ms: number): string {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)).toISOString();
}

describe('hard budget under 50 concurrent requests', () => {
  it('admits what fits, refuses the rest with budget_exceeded, and overspends by no more than requests in flight', async () => {
    const before = Date.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => ask('batch')));
    const resets = new Set([nextUtcMidnight(before), nextUtcMidnight(Date.now())]);

    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason as unknown);
    expect(ok.length + refused.length).toBe(50);
    expect(ok.length).toBeGreaterThanOrEqual(7);
    expect(refused.length).toBeGreaterThan(0);

    for (const err of refused) {
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      const e = err as InstanceType<typeof OpenAI.RateLimitError>;
      expect(e.status).toBe(429);
      expect(e.code).toBe('budget_exceeded');
      expect(e.type).toBe('insufficient_quota');
      expect(e.headers.get('x-should-retry')).toBe('false');
      expect(Number(e.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(e.message).toContain("Budget 'batch-daily' for workload 'batch' exceeded");
      expect(e.message).toContain(`limit $${HARD_LIMIT_USD.toFixed(2)}`);
      const reset = /It resets at (\S+)\.$/.exec(e.message)?.[1];
      expect(resets.has(reset ?? '')).toBe(true);
    }

    const records = (await gw.records()).filter((r) => r.workload === 'batch');
    expect(records).toHaveLength(50);
    const served = records.filter((r) => r.status === 200);
    expect(served).toHaveLength(ok.length);
    const refusedRecords = records.filter((r) => r.status === 429);
    expect(refusedRecords).toHaveLength(refused.length);
    for (const r of refusedRecords) {
      expect(r.errorCode).toBe('budget_exceeded');
      // Refused before the upstream was called: nothing was billed.
      expect(r.costUsd).toBe(0);
    }

    let spent = 0;
    let beyondEstimates = 0;
    for (const r of served) {
      const cost = r.costUsd!;
      expect(cost).toBeCloseTo(
        (r.inputTokens! * INPUT_PER_MILLION + r.outputTokens! * OUTPUT_PER_MILLION) / 1e6,
        12,
      );
      // The output is capped by max_tokens; only the serving model's own input count can exceed
      // the o200k count the reservation was made with.
      expect(cost - ESTIMATE_USD).toBeCloseTo(
        ((r.inputTokens! - INPUT_TOKENS) * INPUT_PER_MILLION) / 1e6,
        12,
      );
      spent += cost;
      beyondEstimates += Math.max(0, cost - ESTIMATE_USD);
    }
    // docs/cost.md: the spend passes the limit only by what in-flight requests cost beyond their estimates.
    expect(spent).toBeLessThanOrEqual(HARD_LIMIT_USD + beyondEstimates + 1e-12);
    expect(beyondEstimates).toBeLessThan(ESTIMATE_USD / 2);
    // Reservations are whole estimates and the limit is 7.5 of them: exactly 7 fit.
    expect(ok.length).toBe(7);
    expect(spent).toBeGreaterThan(HARD_LIMIT_USD - ESTIMATE_USD);
  });

  it('holds legacy completions to the same exhausted budget', async () => {
    const refused = await client.completions
      .create(
        { model: 'gpt-4o', prompt: 'Summarise the quarterly spend report.', max_tokens: MAX_TOKENS },
        { headers: { 'x-switchyard-workload': 'batch' } },
      )
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
  });

  it('leaves other workloads alone', async () => {
    const { data } = await ask('interactive');
    expect(data.usage?.completion_tokens).toBe(MAX_TOKENS);
  });
});

describe('soft budget', () => {
  it('never refuses, and posts one alert each at 50, 80 and 100% to its webhook', async () => {
    for (let i = 0; i < 5; i++) {
      const { data } = await ask('reports');
      expect(data.usage?.completion_tokens).toBe(MAX_TOKENS);
    }
    await vi.waitFor(() => expect(alerts.length).toBeGreaterThanOrEqual(3), { timeout: 5000, interval: 50 });
    await new Promise((r) => setTimeout(r, 100));
    expect(alerts.map((a) => a.thresholdPct).sort((a, b) => a - b)).toEqual([50, 80, 100]);
    const windowStart = new Date(
      Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()),
    );
    for (const a of alerts) {
      expect(a).toMatchObject({
        type: 'budget_alert',
        budgetId: 'reports-soft',
        scope: 'workload',
        subject: 'reports',
        mode: 'soft',
        limitUsd: SOFT_LIMIT_USD,
        windowStart: windowStart.toISOString(),
        resetsAt: nextUtcMidnight(windowStart.getTime()),
      });
      expect(a.usedUsd / a.limitUsd).toBeGreaterThanOrEqual(a.thresholdPct / 100);
    }
    // Each request costs the same; spend after 2 requests is about 2 / 3.9 = 51% of the limit,
    // after 4 about 103%, so 80 and 100% are both crossed by the fourth.
    const reports = (await gw.records()).filter((r) => r.workload === 'reports');
    expect(reports).toHaveLength(5);
    const each = reports[0].costUsd!;
    for (const r of reports) expect(r.costUsd).toBe(each);
    // Use counts requests in flight at their estimate until they are priced, so an alert may come
    // a request early; it never counts more than the requests sent, nor fewer than its threshold.
    const at = (pct: number) => alerts.find((a) => a.thresholdPct === pct)!.usedUsd;
    expect(at(50)).toBeGreaterThanOrEqual(2 * each - 1e-12);
    for (const pct of [50, 80, 100]) expect(at(pct)).toBeLessThanOrEqual(5 * each * 1.05);
    expect(at(100)).toBeGreaterThanOrEqual(SOFT_LIMIT_USD);
  });
});
