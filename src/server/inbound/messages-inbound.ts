import {
  chatCompletionToMessage,
  createMessagesStreamTranslator,
  formatSseEvents,
  parseMessagesRequest,
  toAnthropicErrorBody,
  translateMessagesRequest,
  type MessagesRequest,
} from '../../protocols/index.js';
import type { InboundProtocol } from '../protocol.js';

/** POST /v1/messages: the Anthropic Messages API, served by any backend. */
export const messagesInbound: InboundProtocol<MessagesRequest> = {
  endpoint: 'messages',
  parse(body) {
    const original = parseMessagesRequest(body);
    return { chat: translateMessagesRequest(original), original };
  },
  renderCompletion: (completion, original) => chatCompletionToMessage(completion, original),
  createStreamRenderer(original) {
    const translator = createMessagesStreamTranslator(original);
    return {
      chunk: (chunk) => formatSseEvents(translator.push(chunk)),
      end: () => formatSseEvents(translator.finish()),
      fail: (error) => formatSseEvents(translator.fail(error)),
    };
  },
  renderError: (error) => toAnthropicErrorBody(error),
};
