import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../spec/chat.js';
import type { GatewayError } from '../spec/gateway-error.js';
import type { Endpoint } from '../spec/request-record.js';

/** Renders one streamed response in a client protocol's framing. */
export interface StreamRenderer {
  /** Text to write for one upstream chunk (may be empty). */
  chunk(chunk: ChatCompletionChunk): string;
  /** Text that ends a successful stream. */
  end(): string;
  /** Text that ends a stream that failed after it started: an explicit error, never a clean end. */
  fail(error: GatewayError): string;
}

/**
 * An inbound API served by the chat-completions core: how its requests become chat requests and how
 * chat results are rendered back in its own shape.
 */
export interface InboundProtocol<Original = unknown> {
  endpoint: Endpoint;
  /** Validates the client's body; throws GatewayError naming the bad field. */
  parse(body: unknown): { chat: ChatCompletionRequest; original: Original };
  renderCompletion(completion: ChatCompletion, original: Original): unknown;
  createStreamRenderer(original: Original, chat: ChatCompletionRequest): StreamRenderer;
  renderError(error: GatewayError): unknown;
}
