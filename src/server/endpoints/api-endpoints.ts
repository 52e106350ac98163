import {
  parseCompletionsRequest,
  parseEmbeddingsRequest,
  toAnthropicErrorBody,
} from '../../protocols/index.js';
import type { ChatCompletionRequest } from '../../spec/chat.js';
import type { GatewayError } from '../../spec/gateway-error.js';
import { createChatCall } from '../calls/chat-call.js';
import { completionsCalls, createJsonCall, embeddingsCalls } from '../calls/json-call.js';
import { createMessagesCall } from '../calls/native-messages-call.js';
import { chatInbound } from '../inbound/chat-inbound.js';
import { messagesInbound } from '../inbound/messages-inbound.js';
import { responsesInbound } from '../inbound/responses-inbound.js';
import type { ApiEndpoint } from '../pipeline/serve-request.js';

const openaiError = (error: GatewayError) => error.toBody();

export const chatCompletionsEndpoint: ApiEndpoint = {
  name: 'chat',
  prepare(body) {
    const { chat, original } = chatInbound.parse(body);
    return {
      model: chat.model,
      stream: chat.stream === true,
      chat,
      call: createChatCall(chatInbound, chat, original),
    };
  },
  renderError: openaiError,
};

export const responsesEndpoint: ApiEndpoint = {
  name: 'responses',
  prepare(body) {
    const { chat, original } = responsesInbound.parse(body);
    return {
      model: chat.model,
      stream: chat.stream === true,
      chat,
      call: createChatCall(responsesInbound, chat, original),
    };
  },
  renderError: openaiError,
};

export const messagesEndpoint: ApiEndpoint = {
  name: 'messages',
  prepare(body) {
    const { chat, original } = messagesInbound.parse(body);
    return {
      model: chat.model,
      stream: chat.stream === true,
      chat,
      call: createMessagesCall(messagesInbound, chat, original, body as Record<string, unknown>),
    };
  },
  renderError: toAnthropicErrorBody,
};

const textOf = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : Array.isArray(value)
      ? value.filter((v) => typeof v === 'string').join('\n')
      : '';

/** A non-chat body seen as chat: what routing, the admission estimate and the baseline read. */
function asChat(body: Record<string, unknown>, text: string, maxTokens: number): ChatCompletionRequest {
  const chat: ChatCompletionRequest = {
    model: body.model as string,
    messages: [{ role: 'user', content: text }],
    max_tokens: maxTokens,
  };
  if (typeof body.n === 'number') chat.n = body.n;
  if (typeof body.best_of === 'number') chat.best_of = body.best_of;
  if (typeof body.user === 'string') chat.user = body.user;
  return chat;
}

export const completionsEndpoint: ApiEndpoint = {
  name: 'completions',
  prepare(raw) {
    const body = parseCompletionsRequest(raw) as Record<string, unknown> & { model: string };
    const stream = body.stream === true;
    // The legacy API's default output limit is 16 tokens.
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 16;
    return {
      model: body.model,
      stream,
      chat: asChat(body, textOf(body.prompt), maxTokens),
      call: createJsonCall(completionsCalls, body, stream),
    };
  },
  renderError: openaiError,
};

export const embeddingsEndpoint: ApiEndpoint = {
  name: 'embeddings',
  prepare(raw) {
    const body = parseEmbeddingsRequest(raw) as Record<string, unknown> & { model: string };
    return {
      model: body.model,
      stream: false,
      chat: asChat(body, textOf(body.input), 0),
      call: createJsonCall(embeddingsCalls, body, false),
    };
  },
  renderError: openaiError,
};

/** Every API endpoint by path. */
export const API_ENDPOINTS: ReadonlyMap<string, ApiEndpoint> = new Map([
  ['/v1/chat/completions', chatCompletionsEndpoint],
  ['/v1/responses', responsesEndpoint],
  ['/v1/messages', messagesEndpoint],
  ['/v1/completions', completionsEndpoint],
  ['/v1/embeddings', embeddingsEndpoint],
]);
