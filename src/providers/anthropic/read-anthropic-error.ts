import { isRecord } from '../upstream-body.js';
import type { UpstreamErrorDetails } from '../upstream-failure.js';
import { statusForAnthropicErrorType } from '../../anthropic-api/error-types.js';

/** Anthropic's words for a prompt over the context window ("prompt is too long: 208310 tokens > 200000 maximum"). */
const CONTEXT_LENGTH =
  /prompt is too long|context window|too many total text bytes|exceeds? the maximum (?:context|number of tokens)/i;

export interface AnthropicErrorInfo extends UpstreamErrorDetails {
  /** `error.type`: invalid_request_error, overloaded_error, rate_limit_error, api_error, ... */
  type?: string;
}

/**
 * Reads `{type:'error', error:{type, message}}`, the shape of every Anthropic error, in HTTP bodies
 * and in `event: error` stream events alike. https://docs.anthropic.com/en/api/errors
 */
export function readAnthropicError(
  json: unknown,
  text: string,
  status: number | undefined,
): AnthropicErrorInfo {
  const err = isRecord(json) && isRecord(json.error) ? json.error : undefined;
  const type = typeof err?.type === 'string' ? err.type : undefined;
  const message =
    (typeof err?.message === 'string' && err.message !== '' ? err.message : undefined) ??
    (text.trim().slice(0, 1000) || `upstream answered HTTP ${status ?? 'error'}`);
  const info: AnthropicErrorInfo = { message, type };
  if (type === 'rate_limit_error') info.kind = 'rate_limited';
  else if ((type === 'invalid_request_error' || type === 'request_too_large') && CONTEXT_LENGTH.test(message))
    info.kind = 'context_length';
  return info;
}

export { statusForAnthropicErrorType };
