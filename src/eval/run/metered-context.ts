import type { ChatCompletion, ChatCompletionRequest } from '../../spec/chat.js';
import type { ModelClient } from '../model-client/model-client.js';
import { callUsageOf, type CallPricer } from '../pricing/call-pricer.js';
import type { ScorerContext } from '../scorers/scorer.js';

/** What a scorer's own model calls cost: tracked apart from the models under test. */
export interface Spend {
  usd: number;
  calls: number;
  /** Calls whose price is unknown: their cost is not in `usd`. */
  unpricedCalls: number;
}

export function newSpend(): Spend {
  return { usd: 0, calls: 0, unpricedCalls: 0 };
}

/** A ScorerContext whose judge and embedding calls are priced and added to `spend`. */
export function meteredContext(
  client: ModelClient,
  pricer: CallPricer,
  spend: Spend,
  random: () => number,
  signal?: AbortSignal,
): ScorerContext {
  const add = (costUsd: number | null) => {
    spend.calls++;
    if (costUsd === null) spend.unpricedCalls++;
    else spend.usd += costUsd;
  };
  return {
    random,
    async chat(request: ChatCompletionRequest): Promise<ChatCompletion> {
      const call = await client.chat(request, { signal });
      add(
        pricer.price({
          requestedModel: request.model,
          servedModel: call.completion.model ?? null,
          deploymentId: call.servedBy,
          usage: callUsageOf(call.completion.usage),
        }).costUsd,
      );
      return call.completion;
    },
    async embed(model: string, input: string[]): Promise<number[][]> {
      const call = await client.embed(model, input, { signal });
      add(
        pricer.price({
          requestedModel: model,
          servedModel: call.model,
          deploymentId: call.servedBy,
          usage: { inputTokens: call.inputTokens, outputTokens: 0 },
        }).costUsd,
      );
      return call.vectors;
    },
  };
}
