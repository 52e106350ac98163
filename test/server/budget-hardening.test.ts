import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/config-schema.js';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway } from '../support/test-gateway.js';

/** A hard budget holds against every multiplier of output, and its gauge survives a restart. */

let sim: Simulator;
const dataDirs: string[] = [];

beforeAll(async () => {
  // Every choice fills max_tokens: a request's real cost is its worst case.
  sim = await startSimulator({ model: 'llama-sim', profile: 'vllm', outputTokens: 'max_tokens' });
});

afterAll(async () => {
  await sim?.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

const LIMIT_USD = 0.5;
const config = (): ConfigInput => ({
  deployments: [
    {
      id: 'metered',
      baseUrl: sim.url,
      model: 'llama-sim',
      location: 'internal',
      prices: { inputPerMillionUsd: 1, outputPerMillionUsd: 50 },
    },
  ],
  models: [{ name: 'llama', deployments: ['metered'] }],
  cost: {
    budgets: [{ id: 'global-hard', scope: 'global', window: 'daily', limitUsd: LIMIT_USD, mode: 'hard' }],
  },
});

function budgetRatio(text: string): number | undefined {
  const family = parsePrometheusTextFormat(text).find((f) => f.name === 'switchyard_budget_used_ratio');
  const sample = family?.metrics.find((m) => 'labels' in m && m.labels?.budget === 'global-hard');
  return sample && 'value' in sample ? Number(sample.value) : undefined;
}

describe('a hard budget', () => {
  it('is not overspent by concurrent requests asking for several choices each', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-budget-'));
    dataDirs.push(dataDir);
    const gw = await startTestGateway(config(), {}, { dataDir });
    try {
      const client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
      // 8 choices of 50 tokens at $50/M: $0.02 of output each, $0.80 for all 40.
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, () =>
          client.chat.completions.create({
            model: 'llama',
            n: 8,
            max_tokens: 50,
            messages: [{ role: 'user', content: 'Write a haiku about the sea.' }],
          }),
        ),
      );
      const served = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      expect(served.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused)
        expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 429, code: 'budget_exceeded' });
      for (const r of served)
        expect((r as PromiseFulfilledResult<OpenAI.ChatCompletion>).value.choices).toHaveLength(8);
      const spent = (await gw.records()).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
      expect(spent).toBeGreaterThan(0);
      expect(spent).toBeLessThanOrEqual(LIMIT_USD);
    } finally {
      await gw.close();
    }
  });

  it('shows its spend in the gauge as soon as the gateway starts again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-budget-'));
    dataDirs.push(dataDir);
    const first = await startTestGateway(config(), {}, { dataDir });
    const client = new OpenAI({ baseURL: first.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
    await client.chat.completions.create({
      model: 'llama',
      max_tokens: 400,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    await first.records();
    const before = budgetRatio(await (await fetch(`${first.url}/metrics`)).text());
    await first.close();
    expect(before).toBeGreaterThan(0);

    const second = await startTestGateway(config(), {}, { dataDir });
    try {
      const after = budgetRatio(await (await fetch(`${second.url}/metrics`)).text());
      expect(after).toBeCloseTo(before!, 9);
    } finally {
      await second.close();
    }
  });
});
