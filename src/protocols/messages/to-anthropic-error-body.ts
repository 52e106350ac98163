import type { GatewayError } from '../../spec/gateway-error.js';
import type { AnthropicErrorBody } from './anthropic-types.js';

/**
 * A gateway error in Anthropic's error shape, typed by status as
 * https://docs.anthropic.com/en/api/errors lists them, so the Anthropic SDK raises the matching
 * error class (RateLimitError, OverloadedError, ...) and retries what it should.
 */
export function toAnthropicErrorBody(err: GatewayError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(err.status), message: err.message } };
}

export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
  }
}
