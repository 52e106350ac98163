import {
  createChatChunkRestorer,
  redactChatRequest,
  restoreChatCompletion,
  type RedactionMap,
} from '../../residency/index.js';
import { chunkHasContent, type ChatCompletionChunk, type ChatCompletionRequest } from '../../spec/chat.js';
import { AnswerTally } from '../pipeline/answer-tally.js';
import type {
  AnswerStream,
  AttemptTarget,
  CompletedAnswer,
  EndpointCall,
} from '../pipeline/endpoint-call.js';
import type { InboundProtocol } from '../protocol.js';

/** What redaction made of the request for one attempt. */
interface PreparedChat {
  request: ChatCompletionRequest;
  map?: RedactionMap;
  redacted?: number;
}

function prepare(chat: ChatCompletionRequest, target: AttemptTarget): PreparedChat {
  if (!target.redact) return { request: chat };
  const r = redactChatRequest(chat);
  return { request: r.request, map: r.map, redacted: r.count };
}

/**
 * A chat-shaped request (chat completions, or Responses and Messages translated to chat) sent to a
 * deployment through its adapter's chat protocol, the answer rendered back in the client's protocol.
 */
export function createChatCall<O>(
  protocol: InboundProtocol<O>,
  chat: ChatCompletionRequest,
  original: O,
): EndpointCall {
  return {
    stream: chat.stream === true,
    supports: () => true,

    async complete(target): Promise<CompletedAnswer> {
      const prepared = prepare(chat, target);
      const result = await target.adapter.chat(prepared.request, target);
      const completion = prepared.map
        ? restoreChatCompletion(result.completion, prepared.map)
        : result.completion;
      const tally = new AnswerTally();
      tally.observeCompletion(completion);
      return {
        body: protocol.renderCompletion(completion, original),
        tally,
        contentFiltered: completion.choices.some((c) => c.finish_reason === 'content_filter'),
        redacted: prepared.redacted,
      };
    },

    async open(target): Promise<AnswerStream> {
      const prepared = prepare(chat, target);
      const started = await target.adapter.chatStream(prepared.request, target);
      const chunks = started.chunks[Symbol.asyncIterator]();
      const restore = prepared.map ? createChatChunkRestorer(prepared.map) : undefined;
      const renderer = protocol.createStreamRenderer(original, chat);
      const tally = new AnswerTally();
      return {
        tally,
        redacted: prepared.redacted,
        async next() {
          const n = await chunks.next();
          if (n.done) return null;
          const chunk: ChatCompletionChunk = restore ? restore(n.value) : n.value;
          tally.observeChunk(chunk);
          return { text: renderer.chunk(chunk), content: chunkHasContent(chunk) };
        },
        end: () => renderer.end(),
        fail: (error) => renderer.fail(error),
        close() {
          void chunks.return?.()?.catch(() => {});
        },
      };
    },
  };
}
