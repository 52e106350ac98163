import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  FinishReason,
  Usage,
} from './chat.js';
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
  /**
   * The Anthropic Messages API spoken natively: the client's body goes upstream as it is (model
   * replaced) and the answer comes back untouched, so nothing a translation cannot carry is lost.
   */
  messages?(body: Record<string, unknown>, ctx: UpstreamCallContext): Promise<NativeAnswer>;
  messagesStream?(body: Record<string, unknown>, ctx: UpstreamCallContext): Promise<NativeEventStream>;
  /** The upstream's model list (`GET /models`), in OpenAI's list shape. */
  listModels?(ctx: UpstreamCallContext): Promise<JsonResult>;
}

/** What an answer amounts to, read by the adapter that understands its protocol. */
export interface AnswerSummary {
  /** Cumulative so far, in OpenAI terms (`prompt_tokens` includes cached tokens). */
  usage?: Usage;
  /** Visible output (text, tool names and arguments), for token estimates and the baseline price. */
  text: string;
  finishReason?: FinishReason;
  /** A piece of a tool call (its name when it starts, then fragments of its JSON arguments). */
  toolCall?: { index: number; name?: string; arguments?: string };
}

/** An answer in the upstream's own protocol, with what the gateway needs to know about it. */
export interface NativeAnswer extends JsonResult {
  /** Usage, the answer's text and how it finished. */
  summary: AnswerSummary;
  /** The tool calls it made, apart from the text. */
  toolCalls: Array<{ name: string; arguments: string }>;
}

/** One server-sent event as the upstream sent it, annotated. */
export interface NativeEvent extends AnswerSummary {
  event?: string;
  data: string;
  /** Carries something a user would see (text, a tool call, thinking). */
  content: boolean;
}

/** A started native stream: the upstream answered 200; errors inside it are thrown as UpstreamError. */
export interface NativeEventStream {
  events: AsyncIterable<NativeEvent>;
  upstreamHeaders: Record<string, string>;
}
