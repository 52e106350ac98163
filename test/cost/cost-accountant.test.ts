import { describe, expect, it } from 'vitest';
import { costSchema } from '../../src/config/schema/cost-schema.js';
import { CostAccountant } from '../../src/cost/cost-accountant.js';
import type { ChatCompletionRequest } from '../../src/spec/chat.js';
import type { Deployment } from '../../src/spec/deployment.js';
import type { RequestRecord } from '../../src/spec/request-record.js';
import { usageRecord } from '../usage/usage-record.js';

function deployment(over: Partial<Deployment>): Deployment {
  return {
    id: 'd',
    provider: 'openai-compatible',
    vendor: 'openai',
    baseUrl: 'http://127.0.0.1:1/v1',
    model: 'gpt-4o',
    headers: {},
    timeouts: { connectMs: 1, firstTokenMs: 1, idleMs: 1, totalMs: 1 },
    location: 'external',
    tags: {},
    weight: 1,
    logBodies: false,
    ...over,
  };
}

const groq = deployment({ id: 'groq', vendor: 'groq', model: 'llama-3.3-70b-versatile' });
const vllm = deployment({
  id: 'vllm',
  vendor: 'vllm',
  model: 'meta-llama/Llama-3.3-70B-Instruct',
  location: 'internal',
  // $1/hour with 730 h/month.
  selfHosted: {
    gpuCount: 1,
    gpuHourlyUsd: 1,
    fixedMonthlyUsd: 0,
    engineerHoursPerMonth: 0,
    engineerHourlyUsd: 0,
    opsOverheadPct: 0,
  },
});
const mystery = deployment({ id: 'mystery', vendor: 'vllm', model: 'mystery' });
const request: ChatCompletionRequest = {
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Hello there' }],
  max_tokens: 100,
};

async function accountant(now: () => number, cost: unknown = { baseline: { model: 'gpt-4o' } }) {
  return CostAccountant.create(costSchema.parse(cost), [groq, vllm, mystery], { baseDir: '.', now });
}

const rec = (over: Partial<RequestRecord>) => usageRecord({ costUsd: null, baselineCostUsd: null, ...over });

describe('CostAccountant', () => {
  it('prices token-billed deployments at their vendor’s list price, and the baseline at the incumbent’s', async () => {
    const acc = await accountant(() => 0);
    const record = rec({ deploymentId: 'groq', inputTokens: 1_000_000, outputTokens: 1_000_000 });
    const result = acc.apply(record, { request, outputText: 'General Kenobi.' });
    expect(record.costUsd).toBeCloseTo(0.59 + 0.79, 12);
    expect(result.baselineCostUsd).toBeGreaterThan(0);
    expect(record.baselineCostUsd).toBe(result.baselineCostUsd);
    expect(record.costEstimated).toBe(false);
  });

  it('estimated usage makes an estimated cost', async () => {
    const acc = await accountant(() => 0);
    const record = rec({ deploymentId: 'groq', usageEstimated: true });
    acc.apply(record, { request, outputText: 'x' });
    expect(record.costEstimated).toBe(true);
  });

  it('an unpriced deployment gives null and a warning, never $0', async () => {
    const acc = await accountant(() => 0);
    expect(acc.unpricedDeployments()).toEqual([
      { deploymentId: 'mystery', reason: expect.stringMatching(/no price for 'mystery'/) },
    ]);
    const result = acc.price(rec({ deploymentId: 'mystery' }), { request, outputText: 'x' });
    expect(result.costUsd).toBeNull();
    expect(result.warnings[0]).toMatch(/mystery/);
  });

  it('a request that failed before any tokens costs nothing', async () => {
    const acc = await accountant(() => 0);
    const result = acc.price(
      rec({ deploymentId: null, status: 502, inputTokens: null, outputTokens: null }),
      { request },
    );
    expect(result).toMatchObject({ costUsd: 0, baselineCostUsd: null, warnings: [] });
  });

  it('self-hosted requests are charged their share of GPU time', async () => {
    let now = Date.UTC(2026, 10, 25, 10);
    const t0 = now;
    const acc = await accountant(() => now);
    acc.started('a', 'vllm');
    now += 30 * 60_000;
    acc.started('b', 'vllm');
    now += 30 * 60_000;
    const a = acc.price(rec({ id: 'a', deploymentId: 'vllm', startedAt: t0 }), { request, outputText: 'x' });
    now += 30 * 60_000;
    const b = acc.price(rec({ id: 'b', deploymentId: 'vllm' }), { request, outputText: 'x' });
    // 45 minutes each at $1/hour.
    expect(a.costUsd).toBeCloseTo(0.75, 9);
    expect(b.costUsd).toBeCloseTo(0.75, 9);
    const report = acc.selfHostedReports().get('vllm');
    expect(report?.busyCostUsd).toBeCloseTo(1.5, 9);
    expect(report?.requests).toBe(2);
  });

  it('a self-hosted request without a start mark is charged as if alone, and says so', async () => {
    const acc = await accountant(() => Date.UTC(2026, 10, 25, 10));
    const result = acc.price(rec({ deploymentId: 'vllm', latencyMs: 3_600_000 }), {
      request,
      outputText: 'x',
    });
    expect(result.costUsd).toBeCloseTo(1, 9);
    expect(result.costEstimated).toBe(true);
    expect(result.warnings[0]).toMatch(/as if the request ran alone/);
  });

  it('estimates the worst case for budgets: input from its size + max_tokens at list price', async () => {
    const acc = await accountant(() => 0);
    const e = acc.estimate(request, groq);
    // 3 priming the reply, 4 framing the one message, 'Hello there' is 11 bytes at 3 bytes per token.
    expect(e.inputTokens).toBe(3 + 4 + 4);
    expect(e.maxOutputTokens).toBe(100);
    expect(e.costUsd).toBeCloseTo((11 * 0.59 + 100 * 0.79) / 1e6, 12);
    expect(acc.estimate({ ...request, max_tokens: undefined }, groq).maxOutputTokens).toBe(4096);
    expect(acc.estimate(request, vllm).costUsd).toBeNull();
  });
});
