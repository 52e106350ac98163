import type { ChatCompletionRequest, ChatMessage } from '../spec/chat.js';
import type { TokenPrices } from '../spec/deployment.js';

export interface RequestEstimate {
  /** Input tokens, estimated from the request's size (see estimateInputTokens). */
  inputTokens: number;
  /** Every output token the request may produce: its limit times every choice it asks for. */
  maxOutputTokens: number;
  /** Null when the price is unknown: budgets then reserve nothing for it and say so. */
  costUsd: number | null;
}

/**
 * Upper-bound-leaning bytes per token for admission. OpenAI estimates tokens from the character count
 * for its own rate limits before tokenizing; English prose runs about 4 characters per token in
 * o200k and cl100k, CJK text about 3 UTF-8 bytes per token, so one token per 3 bytes over-counts
 * ordinary text and keeps a reservation on the safe side without running a tokenizer (whose tables
 * take tens of MB and whose work grows with the prompt) on the request path.
 */
const BYTES_PER_TOKEN = 3;
// Every message is framed by about 4 tokens (role and separators); the reply is primed with 3.
// https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken
const TOKENS_PER_MESSAGE = 4;
const REPLY_PRIMING = 3;

function messageBytes(message: ChatMessage): number {
  let bytes = 0;
  const content = message.content;
  if (typeof content === 'string') bytes += Buffer.byteLength(content);
  else if (Array.isArray(content))
    for (const part of content)
      if (part.type === 'text' && typeof part.text === 'string') bytes += Buffer.byteLength(part.text);
  for (const call of message.tool_calls ?? [])
    bytes += Buffer.byteLength(call.function.name) + Buffer.byteLength(call.function.arguments);
  if (typeof message.name === 'string') bytes += Buffer.byteLength(message.name);
  return bytes;
}

/** The input tokens a request will be billed for, estimated from its size in constant time per byte. */
export function estimateInputTokens(request: ChatCompletionRequest): number {
  let bytes = 0;
  for (const message of request.messages) bytes += messageBytes(message);
  if (request.tools?.length) bytes += Buffer.byteLength(JSON.stringify(request.tools));
  return REPLY_PRIMING + request.messages.length * TOKENS_PER_MESSAGE + Math.ceil(bytes / BYTES_PER_TOKEN);
}

/**
 * How many answers a request asks for: `n` choices, and for legacy completions `best_of`
 * candidates generated (and billed) server-side.
 */
export function outputMultiplier(request: ChatCompletionRequest): number {
  const n = typeof request.n === 'number' && request.n > 1 ? request.n : 1;
  const bestOf = typeof request.best_of === 'number' && request.best_of > 1 ? request.best_of : 1;
  return Math.max(n, bestOf);
}

/**
 * The most a request can cost before it is sent: its input at the input price plus its output limit
 * (`max_completion_tokens`, `max_tokens`, or the configured default) times the answers it asks for
 * at the output price. Budgets reserve this, so in-flight requests cannot overspend a hard budget.
 */
export function estimateRequestCost(
  request: ChatCompletionRequest,
  prices: TokenPrices | undefined,
  defaultMaxTokens: number,
): RequestEstimate {
  const inputTokens = estimateInputTokens(request);
  const limit = request.max_completion_tokens ?? request.max_tokens ?? defaultMaxTokens;
  const maxOutputTokens = limit * outputMultiplier(request);
  if (prices?.inputPerMillionUsd === undefined || prices.outputPerMillionUsd === undefined)
    return { inputTokens, maxOutputTokens, costUsd: null };
  const outputRate = Math.max(prices.outputPerMillionUsd, prices.reasoningPerMillionUsd ?? 0);
  return {
    inputTokens,
    maxOutputTokens,
    costUsd: (inputTokens * prices.inputPerMillionUsd + maxOutputTokens * outputRate) / 1_000_000,
  };
}
