import { describe, expect, it } from 'vitest';
import { budgetSchema, rateLimitSchema } from '../../src/config/schema/cost-schema.js';
import { BudgetGuard, type BudgetUse } from '../../src/limits/budget-guard.js';
import { CostAdmission } from '../../src/limits/cost-admission.js';
import { InMemoryCounterStore } from '../../src/limits/in-memory-counter-store.js';
import { RateLimiter } from '../../src/limits/rate-limiter.js';
import type { ChatCompletionRequest } from '../../src/spec/chat.js';
import type { Deployment } from '../../src/spec/deployment.js';
import { GatewayError } from '../../src/spec/gateway-error.js';
import type { AdmissionControl } from '../../src/server/gateway-services.js';

const NOW = Date.UTC(2026, 10, 25, 12);
const request: ChatCompletionRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
const ctx = { caller: { keyId: 'key-1', team: 'research' }, workload: 'support' };
const plan = { candidates: [] };

function admission(uses: BudgetUse[][] = []) {
  const store = new InMemoryCounterStore(() => NOW);
  return new CostAdmission({
    rateLimiter: new RateLimiter(
      [rateLimitSchema.parse({ scope: 'key', requestsPerMinute: 100, tokensPerMinute: 10_000 })],
      store,
      {
        now: () => NOW,
      },
    ),
    budgets: new BudgetGuard(
      [budgetSchema.parse({ id: 'daily', scope: 'global', window: 'daily', limitUsd: 1 })],
      store,
      {
        now: () => NOW,
      },
    ),
    deployments: new Map(),
    estimate: () => ({ inputTokens: 100, maxOutputTokens: 900, costUsd: 0.4 }),
    onBudgetUse: (u) => uses.push(u),
  });
}

describe('CostAdmission', () => {
  it('admits with rate-limit headers, reserves the estimate and settles to the real cost', async () => {
    const uses: BudgetUse[][] = [];
    const adm = admission(uses);
    const first = await adm.admit(ctx, request, plan);
    expect(first.headers['x-ratelimit-remaining-tokens']).toBe('9000');
    const second = await adm.admit(ctx, request, plan);
    // $0.80 reserved: a third $0.40 would pass the $1 limit.
    await expect(adm.admit(ctx, request, plan)).rejects.toMatchObject({
      status: 429,
      code: 'budget_exceeded',
    });
    first.settle(0.1);
    second.settle(0.1);
    await new Promise((r) => setImmediate(r));
    expect(uses.at(-1)?.[0].usedUsd).toBeCloseTo(0.2, 12);
    await expect(adm.admit(ctx, request, plan)).resolves.toBeDefined();
  });

  it('refuses past the token rate with the rate-limit error', async () => {
    const adm = admission();
    // Each request counts 100 input + 900 output tokens against 10,000 per minute.
    for (let i = 0; i < 10; i++) {
      (await adm.admit(ctx, request, plan)).settle(0);
      await new Promise((r) => setImmediate(r));
    }
    const refused = await adm.admit(ctx, request, plan).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect((refused as GatewayError).message).toMatch(/tokens per minute on key 'key-1'/);
  });
});

describe('CostAdmission: the first candidate', () => {
  it('prices the estimate on it and applies its deployment limits', async () => {
    const store = new InMemoryCounterStore(() => NOW);
    const seen: Array<string | undefined> = [];
    const vllm = { id: 'vllm-a', model: 'llama' } as Deployment;
    const adm = new CostAdmission({
      rateLimiter: new RateLimiter(
        [rateLimitSchema.parse({ scope: 'deployment', match: 'vllm-a', requestsPerMinute: 1 })],
        store,
        { now: () => NOW },
      ),
      deployments: new Map([['vllm-a', vllm]]),
      estimate: (_req, deployment) => {
        seen.push(deployment?.id);
        return { inputTokens: 1, maxOutputTokens: 1, costUsd: null };
      },
    });
    const plan = { candidates: [{ deployment: 'vllm-a' }, { deployment: 'openai' }] };
    await adm.admit(ctx, request, plan);
    expect(seen).toEqual(['vllm-a']);
    await expect(adm.admit(ctx, request, plan)).rejects.toMatchObject({
      code: 'rate_limit_exceeded',
      message: expect.stringMatching(/deployment 'vllm-a'/),
    });
  });
});

describe('CostAdmission as the server’s admission control', () => {
  it('admits through the AdmissionControl contract the server calls, and refuses the same way', async () => {
    const control: AdmissionControl = admission();
    const admitted = await control.admit(ctx, request, { candidates: [{ deployment: 'vllm-a' }] });
    expect(admitted.headers['x-ratelimit-limit-requests']).toBe('100');
    await control.admit(ctx, request, plan);
    await expect(control.admit(ctx, request, plan)).rejects.toBeInstanceOf(GatewayError);
  });
});
