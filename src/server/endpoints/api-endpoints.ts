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
import type { InboundProtocol } from '../protocol.js';
import type { EndpointCall } from '../pipeline/endpoint-call.js';
import type { ApiEndpoint } from '../pipeline/serve-request.js';

const openaiError = (error: GatewayError) => error.toBody();

/** An endpoint whose body an inbound protocol turns into a chat request, answered in its own shape. */
function chatShapedEndpoint<O>(
  name: ApiEndpoint['name'],
  inbound: InboundProtocol<O>,
  createCall: (chat: ChatCompletionRequest, original: O, body: unknown) => EndpointCall,
  renderError: ApiEndpoint['renderError'],
): ApiEndpoint {
  return {
    name,
    prepare(body) {
      const { chat, original } = inbound.parse(body);
      return {
        model: chat.model,
        stream: chat.stream === true,
        chat,
        call: createCall(chat, original, body),
      };
    },
    renderError,
  };
}

export const chatCompletionsEndpoint = chatShapedEndpoint(
  'chat',
  chatInbound,
  (chat, original) => createChatCall(chatInbound, chat, original),
  openaiError,
);

export const responsesEndpoint = chatShapedEndpoint(
  'responses',
  responsesInbound,
  (chat, original) => createChatCall(responsesInbound, chat, original),
  openaiError,
);

export const messagesEndpoint = chatShapedEndpoint(
  'messages',
  messagesInbound,
  (chat, original, body) =>
    createMessagesCall(messagesInbound, chat, original, body as Record<string, unknown>),
  toAnthropicErrorBody,
);

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
