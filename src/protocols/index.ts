/**
 * The inbound protocols: validation of OpenAI requests, and the Responses and Anthropic Messages
 * APIs translated to and from chat completions. Pure functions; the server owns HTTP.
 */
export { parseChatRequest } from './chat/parse-chat-request.js';
export { parseCompletionsRequest, type CompletionsRequest } from './chat/parse-completions-request.js';
export { parseEmbeddingsRequest, type EmbeddingsRequest } from './chat/parse-embeddings-request.js';
export { formatSseEvents, type ProtocolEvent } from './protocol-event.js';
export {
  parseResponsesRequest,
  responsesRequestToChat,
  translateResponsesRequest,
} from './responses/responses-request-to-chat.js';
export type { ResponsesRequest } from './responses/responses-request-schema.js';
export { chatCompletionToResponse } from './responses/chat-completion-to-response.js';
export {
  createResponsesStreamTranslator,
  type ResponsesStreamTranslator,
} from './responses/responses-stream-translator.js';
export type { ResponseObject } from './responses/responses-types.js';
export {
  messagesRequestToChat,
  parseMessagesRequest,
  translateMessagesRequest,
} from './messages/messages-request-to-chat.js';
export type { MessagesRequest } from './messages/messages-request-schema.js';
export { chatCompletionToMessage } from './messages/chat-completion-to-message.js';
export {
  createMessagesStreamTranslator,
  type MessagesStreamTranslator,
} from './messages/messages-stream-translator.js';
export { toAnthropicErrorBody, anthropicErrorType } from './messages/to-anthropic-error-body.js';
export type { AnthropicMessage, AnthropicErrorBody } from '../anthropic-api/messages-api.js';
