import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

let sim: Simulator;
let gw: TestGateway;

beforeAll(async () => {
  sim = await startSimulator({ model: 'llama', ttftMs: 30, outputTokens: 20 });
  gw = await startTestGateway({
    deployments: [
      {
        id: 'gpu-box',
        baseUrl: sim.url,
        model: 'llama',
        location: 'internal',
        selfHosted: { gpu: 'l4', gpuCount: 2, gpuHourlyUsd: 1, fixedMonthlyUsd: 100, capacityConcurrency: 8 },
      },
    ],
    models: [{ name: 'llama', deployments: ['gpu-box'] }],
  });
});

afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

describe('GET /admin/self-hosted', () => {
  it('reports the window cost, utilisation and effective price per million tokens of the traffic served', async () => {
    const client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
    await Promise.all(
      Array.from({ length: 4 }, () =>
        client.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] }),
      ),
    );
    const res = await fetch(`${gw.url}/admin/self-hosted`, {
      headers: { authorization: `Bearer ${MASTER_KEY}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { deployments: Array<Record<string, unknown>> };
    const report = body.deployments.find((d) => d.id === 'gpu-box')!;
    expect(report.requests).toBe(4);
    expect(report.outputTokens).toBe(80);
    expect(report.utilisation as number).toBeGreaterThan(0);
    expect(report.utilisation as number).toBeLessThanOrEqual(1);
    // Busy plus idle is what the deployment cost over the window so far.
    expect((report.busyCostUsd as number) + (report.idleCostUsd as number)).toBeCloseTo(
      report.windowCostUsd as number,
      9,
    );
    expect(report.effectiveUsdPerMillionTokens as number).toBeGreaterThan(0);
    const projection = report.projection as Array<{ volumeMultiple: number; usdPerMillionTokens: number }>;
    expect(projection.length).toBeGreaterThan(1);
    // The same fixed cost over more traffic: the price per token falls as volume grows.
    for (let i = 1; i < projection.length; i++)
      expect(projection[i].usdPerMillionTokens).toBeLessThan(projection[i - 1].usdPerMillionTokens);
  });

  it('is for the master key only', async () => {
    const res = await fetch(`${gw.url}/admin/self-hosted`, { headers: { authorization: 'Bearer sk-nope' } });
    expect(res.status).toBe(401);
  });
});
