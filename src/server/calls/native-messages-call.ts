import {
  toAnthropicErrorBody,
  type AnthropicErrorBody,
  type MessagesRequest,
} from '../../protocols/index.js';
import type { ChatCompletionRequest } from '../../spec/chat.js';
import { AnswerTally } from '../pipeline/answer-tally.js';
import type { AnswerStream, CompletedAnswer, EndpointCall } from '../pipeline/endpoint-call.js';
import type { InboundProtocol } from '../protocol.js';
import { createChatCall } from './chat-call.js';

/**
 * A Messages request: sent as it is to a deployment whose adapter speaks the Messages API natively
 * (prompt caching, thinking blocks and anything newer pass through untouched), and translated
 * through chat for every other deployment. A copy that must be redacted for an external deployment
 * takes the translated path, where placeholders are put back into the answer.
 */
export function createMessagesCall(
  protocol: InboundProtocol<MessagesRequest>,
  chat: ChatCompletionRequest,
  original: MessagesRequest,
  body: Record<string, unknown>,
): EndpointCall {
  const translated = createChatCall(protocol, chat, original);
  return {
    stream: translated.stream,
    supports: () => true,

    async complete(target): Promise<CompletedAnswer> {
      if (!target.adapter.messages || target.redact) return translated.complete(target);
      const answer = await target.adapter.messages(body, target);
      const tally = new AnswerTally();
      tally.observeSummary(answer.summary);
      answer.toolCalls.forEach((call, index) =>
        tally.observeSummary({ text: call.name + call.arguments, toolCall: { index, ...call } }),
      );
      return { body: answer.body, tally, contentFiltered: answer.summary.finishReason === 'content_filter' };
    },

    async open(target): Promise<AnswerStream> {
      if (!target.adapter.messagesStream || target.redact) return translated.open(target);
      const started = await target.adapter.messagesStream(body, target);
      const events = started.events[Symbol.asyncIterator]();
      const tally = new AnswerTally();
      return {
        tally,
        async next() {
          const n = await events.next();
          if (n.done) return null;
          const e = n.value;
          tally.observeSummary(e);
          const text = e.event ? `event: ${e.event}\ndata: ${e.data}\n\n` : `data: ${e.data}\n\n`;
          return { text, content: e.content };
        },
        // The upstream's own message_stop has already ended the stream.
        end: () => '',
        fail: (error) => sseError(toAnthropicErrorBody(error)),
        close() {
          void events.return?.()?.catch(() => {});
        },
      };
    },
  };
}

const sseError = (body: AnthropicErrorBody) => `event: error\ndata: ${JSON.stringify(body)}\n\n`;
