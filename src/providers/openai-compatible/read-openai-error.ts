import { isRecord } from '../upstream-body.js';
import type { UpstreamErrorDetails } from '../upstream-failure.js';

/**
 * How OpenAI-compatible servers say the prompt does not fit: OpenAI's `context_length_exceeded` code,
 * llama.cpp's `exceed_context_size_error`, and the messages of vLLM ("This model's maximum context
 * length is 4096 tokens..."), TGI ("`inputs` tokens + `max_new_tokens` must be <= 4096") and
 * llama.cpp ("the request exceeds the available context size").
 */
const CONTEXT_LENGTH_CODES = new Set(['context_length_exceeded', 'exceed_context_size_error']);
const CONTEXT_LENGTH_MESSAGE =
  /maximum context length|context length exceeded|context_length_exceeded|exceeds the available context size|`inputs` tokens \+ `max_new_tokens` must be|prompt is too long|too many tokens in the prompt|input is too long/i;

/** OpenAI's moderation refusal and Azure OpenAI's content filter (`ResponsibleAIPolicyViolation`). */
const CONTENT_FILTER_CODES = new Set([
  'content_filter',
  'content_policy_violation',
  'ResponsibleAIPolicyViolation',
]);

export interface OpenAIErrorInfo extends UpstreamErrorDetails {
  /** `error.type` (`invalid_request_error`, `server_error`, ...). */
  type?: string;
  /** A numeric `code` some servers (vLLM) use for the HTTP status of an error sent inside a stream. */
  statusCode?: number;
}

/**
 * Reads the error shapes OpenAI-compatible servers send: OpenAI's `{error:{message,type,code}}`,
 * vLLM's `{object:'error',message,type,code}`, TGI's and Ollama's `{error:'text'}` and FastAPI's
 * `{detail}`. The message is the upstream's own, so clients see what the vendor said.
 */
export function readOpenAIError(json: unknown, text: string, status: number | undefined): OpenAIErrorInfo {
  let message: string | undefined;
  let code: unknown;
  let innerCode: unknown;
  let type: unknown;
  if (isRecord(json)) {
    const err = json.error;
    if (isRecord(err)) {
      message = stringOf(err.message);
      code = err.code;
      type = err.type;
      innerCode = isRecord(err.innererror) ? err.innererror.code : undefined;
    } else if (typeof err === 'string') {
      message = err;
      code = json.error_type;
    }
    message ??= stringOf(json.message) ?? stringOf(json.detail);
    code ??= json.code;
    type ??= json.type;
  }
  message ??= text.trim().slice(0, 1000) || `upstream answered HTTP ${status ?? 'error'}`;

  const info: OpenAIErrorInfo = { message };
  if (typeof type === 'string') info.type = type;
  if (typeof code === 'number' && code >= 400 && code < 600) info.statusCode = code;
  if ((typeof code === 'string' && CONTEXT_LENGTH_CODES.has(code)) || CONTEXT_LENGTH_MESSAGE.test(message))
    info.kind = 'context_length';
  else if (
    (typeof code === 'string' && CONTENT_FILTER_CODES.has(code)) ||
    (typeof innerCode === 'string' && CONTENT_FILTER_CODES.has(innerCode))
  )
    info.kind = 'content_filter';
  else if (code === 'rate_limit_exceeded' || code === 429) info.kind = 'rate_limited';
  return info;
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  // Pydantic-based servers (Mistral, FastAPI apps) put a validation report where the text would be.
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return undefined;
}
