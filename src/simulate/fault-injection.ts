import type { Exchange } from './exchange.js';
import { SimError } from './sim-error.js';

/**
 * Faults that strike before any answer: a reset socket, an error status or a request that is never
 * answered. Returns true when the fault has dealt with the request; throws for error statuses.
 * Faults that strike later (slowFirstToken, dieMidStream, content_filter) are read by the handlers.
 */
export async function applyEarlyFault(ex: Exchange, promptTokens: number): Promise<boolean> {
  switch (ex.fault) {
    case 'reset':
      ex.destroy();
      return true;
    case 'hang':
      await new Promise<void>((resolve) => {
        if (ex.signal.aborted) resolve();
        else ex.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      return true;
    case 'http500':
      throw new SimError({
        status: 500,
        type: 'server_error',
        message: 'The server had an error while processing your request. Sorry about that! (simulated)',
      });
    case 'http429':
      throw new SimError({
        status: 429,
        type: 'requests',
        code: 'rate_limit_exceeded',
        message: `Rate limit reached for requests (simulated). Please try again in ${ex.behaviour.retryAfterSeconds}s.`,
        headers: { 'retry-after': String(ex.behaviour.retryAfterSeconds) },
      });
    case 'http400_context_length':
      throw contextLengthError(ex, promptTokens + ex.behaviour.contextWindow);
    default:
      return false;
  }
}

/** OpenAI's context_length_exceeded, or Anthropic's "prompt is too long". */
export function contextLengthError(ex: Exchange, requestedTokens: number): SimError {
  const window = ex.behaviour.contextWindow;
  const message = ex.anthropic
    ? `prompt is too long: ${requestedTokens} tokens > ${window} maximum`
    : `This model's maximum context length is ${window} tokens. However, your messages resulted in ${requestedTokens} tokens. Please reduce the length of the messages.`;
  return new SimError({
    status: 400,
    type: 'invalid_request_error',
    code: 'context_length_exceeded',
    param: 'messages',
    message,
  });
}
