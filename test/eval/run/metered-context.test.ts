import { describe, expect, it } from 'vitest';
import { priceUsage } from '../../../src/cost/price-usage.js';
import type { ModelClient } from '../../../src/eval/model-client/model-client.js';
import type { CallPricer } from '../../../src/eval/pricing/call-pricer.js';
import { meteredContext, newSpend } from '../../../src/eval/run/metered-context.js';

/** A reasoning judge: $1 per million input, $2 output, $10 reasoning. */
const pricer: CallPricer = {
  price: ({ usage }) => ({
    costUsd: priceUsage(usage, {
      inputPerMillionUsd: 1,
      outputPerMillionUsd: 2,
      reasoningPerMillionUsd: 10,
    }).costUsd,
    source: 'test price',
  }),
};

const judge: ModelClient = {
  async chat(request) {
    return {
      completion: {
        id: 'j',
        object: 'chat.completion',
        created: 0,
        model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content: '[[A]]' }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: 1_000_000,
          completion_tokens: 1_000_000,
          total_tokens: 2_000_000,
          completion_tokens_details: { reasoning_tokens: 500_000 },
        },
      },
      latencyMs: 1,
      servedBy: 'judge-dep',
      requestId: null,
      attempts: 1,
    };
  },
  embed: () => Promise.reject(new Error('no embeddings')),
};

describe('a scorer’s judge calls', () => {
  it('are priced with their reasoning tokens at the reasoning rate, as the models under test are', async () => {
    const spend = newSpend();
    const context = meteredContext(judge, pricer, spend, Math.random);
    await context.chat({ model: 'judge', messages: [{ role: 'user', content: 'which is better?' }] });
    // $1 input + 500k visible output at $2 + 500k reasoning at $10.
    expect(spend).toEqual({ usd: 1 + 1 + 5, calls: 1, unpricedCalls: 0 });
  });
});
