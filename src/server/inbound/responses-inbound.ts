import {
  chatCompletionToResponse,
  createResponsesStreamTranslator,
  formatSseEvents,
  parseResponsesRequest,
  translateResponsesRequest,
  type ResponsesRequest,
} from '../../protocols/index.js';
import type { InboundProtocol } from '../protocol.js';

/** POST /v1/responses: the OpenAI Responses API, served by any chat-completions backend. */
export const responsesInbound: InboundProtocol<ResponsesRequest> = {
  endpoint: 'responses',
  parse(body) {
    const original = parseResponsesRequest(body);
    return { chat: translateResponsesRequest(original), original };
  },
  renderCompletion: (completion, original) => chatCompletionToResponse(completion, original),
  createStreamRenderer(original) {
    const translator = createResponsesStreamTranslator(original);
    return {
      chunk: (chunk) => formatSseEvents(translator.push(chunk)),
      end: () => formatSseEvents(translator.finish()),
      fail: (error) => formatSseEvents(translator.fail(error)),
    };
  },
  renderError: (error) => error.toBody(),
};
