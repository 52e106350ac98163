import { createRedactor, redactRequest } from '../../residency/index.js';
import type { GatewayError } from '../../spec/gateway-error.js';
import type { ProviderAdapter } from '../../spec/provider-adapter.js';
import { AnswerTally } from '../pipeline/answer-tally.js';
import type {
  AnswerStream,
  AttemptTarget,
  CompletedAnswer,
  EndpointCall,
} from '../pipeline/endpoint-call.js';

/** An OpenAI endpoint other than chat: legacy completions or embeddings. */
export interface JsonEndpointCalls {
  supports(adapter: ProviderAdapter): boolean;
  call(
    adapter: ProviderAdapter,
    body: Record<string, unknown>,
    target: AttemptTarget,
  ): Promise<{ body: Record<string, unknown> }>;
  stream?(
    adapter: ProviderAdapter,
    body: Record<string, unknown>,
    target: AttemptTarget,
  ): Promise<AsyncIterable<Record<string, unknown>>>;
}

export const completionsCalls: JsonEndpointCalls = {
  supports: (adapter) => adapter.completions !== undefined,
  call: (adapter, body, target) => adapter.completions!(body, target),
  stream: (adapter, body, target) => adapter.completionsStream!(body, target),
};

export const embeddingsCalls: JsonEndpointCalls = {
  supports: (adapter) => adapter.embeddings !== undefined,
  call: (adapter, body, target) => adapter.embeddings!(body, target),
};

const DONE = 'data: [DONE]\n\n';

/** Whether a completions chunk carries text a user would see. */
function hasText(event: Record<string, unknown>): boolean {
  const choices = event.choices;
  if (!Array.isArray(choices)) return false;
  for (const c of choices as Array<Record<string, unknown>>)
    if (typeof c.text === 'string' && c.text !== '') return true;
  return false;
}

/**
 * A completions or embeddings request, passed to the deployment as the client sent it (the adapter
 * puts the deployment's model in) and its answer passed back as the upstream gave it.
 */
export function createJsonCall(
  calls: JsonEndpointCalls,
  body: Record<string, unknown>,
  stream: boolean,
): EndpointCall {
  const bodyFor = (target: AttemptTarget) => (target.redact ? redactRequest(body, createRedactor()) : body);
  return {
    stream,
    supports: (adapter) => calls.supports(adapter) && (!stream || calls.stream !== undefined),

    async complete(target): Promise<CompletedAnswer> {
      const result = await calls.call(target.adapter, bodyFor(target), target);
      const tally = new AnswerTally();
      tally.observeJson(result.body);
      return { body: result.body, tally, contentFiltered: tally.finishReason === 'content_filter' };
    },

    async open(target): Promise<AnswerStream> {
      const events = (await calls.stream!(target.adapter, bodyFor(target), target))[Symbol.asyncIterator]();
      const tally = new AnswerTally();
      return {
        tally,
        async next() {
          const n = await events.next();
          if (n.done) return null;
          tally.observeJson(n.value);
          return { text: `data: ${JSON.stringify(n.value)}\n\n`, content: hasText(n.value) };
        },
        end: () => DONE,
        fail: (error: GatewayError) => `data: ${JSON.stringify(error.toBody())}\n\n`,
        close() {
          void events.return?.()?.catch(() => {});
        },
      };
    },
  };
}
