import type { GatewayError } from '../../spec/gateway-error.js';
import { anthropicErrorType } from '../../anthropic-api/error-types.js';
import type { AnthropicErrorBody } from '../../anthropic-api/messages-api.js';

/**
 * A gateway error in Anthropic's error shape, typed by status as
 * https://docs.anthropic.com/en/api/errors lists them, so the Anthropic SDK raises the matching
 * error class (RateLimitError, OverloadedError, ...) and retries what it should.
 */
export function toAnthropicErrorBody(err: GatewayError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(err.status), message: err.message } };
}

export { anthropicErrorType };
