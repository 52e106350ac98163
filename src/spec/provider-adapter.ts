import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from './chat.js';
import type { Deployment } from './deployment.js';

/** What every upstream call carries besides its body. */
export interface UpstreamCallContext {
  deployment: Deployment;
  /** Aborted when the client goes away or a deadline passes; adapters must pass it to the socket. */
  signal: AbortSignal;
  /** Request id, forwarded upstream as `x-request-id` so both sides' logs line up. */
  requestId: string;
}

/** A started stream: the upstream has answered 200 and events can be read. */
export interface ChatStream {
  /** OpenAI-shaped chunks, translated by the adapter from whatever the upstream speaks. */
  chunks: AsyncIterable<ChatCompletionChunk>;
  /** Response headers of the upstream, for rate-limit and request-id passthrough. */
  upstreamHeaders: Record<string, string>;
}

export interface ChatResult {
  completion: ChatCompletion;
  upstreamHeaders: Record<string, string>;
}

export interface JsonResult {
  body: Record<string, unknown>;
  upstreamHeaders: Record<string, string>;
}

/**
 * One upstream protocol. Adapters throw UpstreamError for every failure (connection, HTTP status,
 * timeouts, malformed responses) with a `kind` that fallback policies can match on. `chatStream`
 * always asks the upstream for usage, so streamed and non-streamed calls record the same tokens.
 */
export interface ProviderAdapter {
  readonly name: string;
  chat(request: ChatCompletionRequest, ctx: UpstreamCallContext): Promise<ChatResult>;
  chatStream(request: ChatCompletionRequest, ctx: UpstreamCallContext): Promise<ChatStream>;
  /** Legacy text completions; absent when the upstream protocol has none. */
  completions?(body: Record<string, unknown>, ctx: UpstreamCallContext): Promise<JsonResult>;
  completionsStream?(
    body: Record<string, unknown>,
    ctx: UpstreamCallContext,
  ): Promise<AsyncIterable<Record<string, unknown>>>;
  embeddings?(body: Record<string, unknown>, ctx: UpstreamCallContext): Promise<JsonResult>;
}
