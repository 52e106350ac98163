import type { ChatCompletion, ChatCompletionRequest } from '../../../src/spec/chat.js';
import {
  ModelCallError,
  type ChatCall,
  type ModelClient,
} from '../../../src/eval/model-client/model-client.js';

export interface FakeClient extends ModelClient {
  requests: ChatCompletionRequest[];
  inFlight: number;
  maxInFlight: number;
}

/** A ModelClient answering from a function, counting concurrency; throws what the function throws. */
export function fakeClient(
  answer: (request: ChatCompletionRequest) => string | ModelCallError,
  options: { delayMs?: number; usage?: { prompt_tokens: number; completion_tokens: number } } = {},
): FakeClient {
  const client: FakeClient = {
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
    async chat(request): Promise<ChatCall> {
      client.requests.push(request);
      client.inFlight++;
      client.maxInFlight = Math.max(client.maxInFlight, client.inFlight);
      try {
        await new Promise((r) => setTimeout(r, options.delayMs ?? 1));
        const a = answer(request);
        if (a instanceof ModelCallError) throw a;
        const usage = options.usage ?? { prompt_tokens: 10, completion_tokens: 2 };
        const completion: ChatCompletion = {
          id: 'x',
          object: 'chat.completion',
          created: 0,
          model: request.model,
          choices: [{ index: 0, message: { role: 'assistant', content: a }, finish_reason: 'stop' }],
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        };
        return { completion, latencyMs: 5, servedBy: `${request.model}-dep`, requestId: null, attempts: 1 };
      } finally {
        client.inFlight--;
      }
    },
    async embed() {
      throw new Error('no embeddings');
    },
  };
  return client;
}
