import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import type { StoredRecord } from '../../src/spec/request-record.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

// Prices chosen so every figure below can be checked by hand.
const SERVED = { inputPerMillionUsd: 0.2, outputPerMillionUsd: 0.6 };
const BASELINE = { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 };
const GPU = { gpuHourlyUsd: 3.6, gpuCount: 2, fixedMonthlyUsd: 730 };
const HOURS_PER_MONTH = 730;
const HOURLY_USD =
  (GPU.gpuHourlyUsd * GPU.gpuCount * HOURS_PER_MONTH + GPU.fixedMonthlyUsd) / HOURS_PER_MONTH;
const SELF_HOSTED_TTFT_MS = 300;
// A record is priced just after its end time is taken; this covers that gap on a busy machine.
const PRICING_SLACK_MS = 20;

let priced: Simulator;
let slow: Simulator;
let silent: Simulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  priced = await startSimulator({ model: 'llama-sim', profile: 'vllm', outputTokens: 17 });
  slow = await startSimulator({
    model: 'llama-own',
    profile: 'vllm',
    outputTokens: 9,
    ttftMs: SELF_HOSTED_TTFT_MS,
  });
  silent = await startSimulator({
    model: 'llama-sim',
    profile: 'vllm',
    outputTokens: 8,
    omitStreamUsage: true,
  });
  const timeouts = { totalMs: 5000, firstTokenMs: 4000, idleMs: 4000 };
  gw = await startTestGateway({
    deployments: [
      {
        id: 'priced',
        baseUrl: priced.url,
        model: 'llama-sim',
        vendor: 'vllm',
        prices: SERVED,
        timeouts,
      },
      {
        id: 'no-stream-usage',
        baseUrl: silent.url,
        model: 'llama-sim',
        vendor: 'vllm',
        prices: SERVED,
        timeouts,
      },
      { id: 'unpriced', baseUrl: priced.url, model: 'mystery-sim', vendor: 'vllm', timeouts },
      {
        id: 'own-gpus',
        baseUrl: slow.url,
        model: 'llama-own',
        vendor: 'vllm',
        selfHosted: GPU,
        timeouts,
      },
    ],
    models: [
      { name: 'gpt-4o', deployments: ['priced'] },
      { name: 'quiet', deployments: ['no-stream-usage'] },
      { name: 'mystery', deployments: ['unpriced'] },
      { name: 'own', deployments: ['own-gpus'] },
    ],
    cost: {
      baseline: { model: 'gpt-4o' },
      prices: { 'gpt-4o': { ...BASELINE, source: 'test figures' } },
      hoursPerMonth: HOURS_PER_MONTH,
    },
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await priced?.close();
  await slow?.close();
  await silent?.close();
});

async function recordOf(requestId: string | null): Promise<StoredRecord> {
  const record = (await gw.records()).find((r) => r.id === requestId);
  if (!record) throw new Error(`no record for ${requestId}`);
  return record;
}

/** Input tokens of a chat as OpenAI bills them: 3 per message, its role and content, 3 priming the reply. */
function openAiInputTokens(messages: Array<{ role: string; content: string }>): number {
  return messages.reduce((sum, m) => sum + 3 + countTokens(m.role) + countTokens(m.content), 3);
}

describe('cost of each request in its record', () => {
  it('prices a token-priced deployment at usage × its own price, and the baseline with o200k on the same text', async () => {
    const messages = [
      { role: 'system' as const, content: 'You answer in one short paragraph.' },
      { role: 'user' as const, content: 'Why do open models tokenise text differently from GPT-4o?' },
    ];
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages, seed: 3 })
      .withResponse();
    const inTok = data.usage!.prompt_tokens;
    const outTok = data.usage!.completion_tokens;
    expect(outTok).toBe(17);
    const record = await recordOf(response.headers.get('x-request-id'));
    expect(record).toMatchObject({ inputTokens: inTok, outputTokens: outTok, costEstimated: false });
    expect(record.costUsd).toBeCloseTo((inTok * 0.2 + outTok * 0.6) / 1e6, 15);

    const text = data.choices[0].message.content!;
    const baselineIn = openAiInputTokens(messages);
    const baselineOut = countTokens(text);
    expect(record.baselineCostUsd).toBeCloseTo((baselineIn * 2.5 + baselineOut * 10) / 1e6, 15);
    // The baseline is counted on the text, not copied from the serving model's usage.
    expect(record.baselineCostUsd).not.toBeCloseTo((inTok * 2.5 + outTok * 10) / 1e6, 15);
  });

  it('records an unknown price as null, never as a free request', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'mystery', messages: [{ role: 'user', content: 'What does this cost?' }] })
      .withResponse();
    expect(data.usage!.completion_tokens).toBe(17);
    const record = await recordOf(response.headers.get('x-request-id'));
    expect(record.status).toBe(200);
    expect(record.deploymentId).toBe('unpriced');
    expect(record.costUsd).toBeNull();
    // The incumbent's price is still known, so the counterfactual is still there.
    expect(record.baselineCostUsd).toBeGreaterThan(0);
  });

  it('charges a self-hosted deployment for the GPU time the request held, at its hourly cost', async () => {
    const costs: number[] = [];
    for (let i = 0; i < 2; i++) {
      const { response } = await client.chat.completions
        .create({ model: 'own', messages: [{ role: 'user', content: `Self-hosted request ${i}` }] })
        .withResponse();
      const record = await recordOf(response.headers.get('x-request-id'));
      expect(record.deploymentId).toBe('own-gpus');
      const cost = record.costUsd!;
      expect(cost).toBeGreaterThan(0);
      // Requests run one at a time here, so each holds the whole deployment: at least the upstream's
      // time to first token, at most the request's whole latency, times the hourly cost.
      expect(cost).toBeGreaterThanOrEqual((HOURLY_USD * SELF_HOSTED_TTFT_MS) / 3_600_000);
      expect(cost).toBeLessThanOrEqual((HOURLY_USD * (record.latencyMs + PRICING_SLACK_MS)) / 3_600_000);
      costs.push(cost);
    }
    // Priced by GPU time, not tokens: two identical requests cost about the same.
    expect(costs[1] / costs[0]).toBeGreaterThan(0.5);
    expect(costs[1] / costs[0]).toBeLessThan(2);
  });

  it('shares the GPU time of overlapping self-hosted requests instead of charging each its whole duration', async () => {
    const ids = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const { response } = await client.chat.completions
          .create({ model: 'own', messages: [{ role: 'user', content: `Overlapping request ${i}` }] })
          .withResponse();
        return response.headers.get('x-request-id');
      }),
    );
    const records = await Promise.all(ids.map(recordOf));
    const spanMs =
      Math.max(...records.map((r) => r.endedAt)) -
      Math.min(...records.map((r) => r.startedAt)) +
      PRICING_SLACK_MS;
    const total = records.reduce((sum, r) => sum + r.costUsd!, 0);
    // Together they pay for the time the deployment was busy, at most the span they covered;
    // charged as if each ran alone they would pay nearly three times that.
    expect(total).toBeLessThanOrEqual((HOURLY_USD * spanMs) / 3_600_000);
    expect(total).toBeGreaterThanOrEqual((HOURLY_USD * SELF_HOSTED_TTFT_MS) / 3_600_000);
    for (const r of records) expect(r.costEstimated).toBe(false);
  });

  it('records the same tokens and cost for a streamed request as for the same request not streamed', async () => {
    const messages = [{ role: 'user' as const, content: 'Stream this answer, then do not.' }];
    const { data: plain, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages, seed: 11 })
      .withResponse();
    const stream = await client.chat.completions
      .create({ model: 'gpt-4o', messages, seed: 11, stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream.data) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(plain.choices[0].message.content);

    const a = await recordOf(response.headers.get('x-request-id'));
    const b = await recordOf(stream.response.headers.get('x-request-id'));
    expect(b.streamed).toBe(true);
    expect(a.streamed).toBe(false);
    expect(b.usageEstimated).toBe(false);
    expect(b.inputTokens).toBe(a.inputTokens);
    expect(b.outputTokens).toBe(a.outputTokens);
    expect(b.costUsd).toBe(a.costUsd);
    expect(b.baselineCostUsd).toBe(a.baselineCostUsd);
    expect(b.costUsd).toBeCloseTo(
      (plain.usage!.prompt_tokens * 0.2 + plain.usage!.completion_tokens * 0.6) / 1e6,
      15,
    );
  });

  it('prices a stream whose upstream sent no usage on counted tokens, and says the cost is estimated', async () => {
    const stream = await client.chat.completions
      .create({
        model: 'quiet',
        messages: [{ role: 'user', content: 'Answer without usage' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = '';
    for await (const chunk of stream.data) text += chunk.choices[0]?.delta?.content ?? '';
    const record = await recordOf(stream.response.headers.get('x-request-id'));
    expect(record).toMatchObject({
      usageEstimated: true,
      costEstimated: true,
      deploymentId: 'no-stream-usage',
    });
    expect(record.outputTokens).toBe(countTokens(text));
    expect(record.costUsd).toBeCloseTo((record.inputTokens! * 0.2 + record.outputTokens! * 0.6) / 1e6, 15);
  });
});
