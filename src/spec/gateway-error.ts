/**
 * Every failure a client can see is a GatewayError. It is rendered once, at the HTTP edge, in the
 * OpenAI error shape (`{ error: { message, type, code, param } }`), so every layer below may throw it
 * and none has to know about HTTP responses.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'api_error'
  | 'upstream_error'
  | 'timeout_error'
  | 'server_error';

export interface GatewayErrorInit {
  status: number;
  type: ErrorType;
  code: string;
  message: string;
  param?: string | null;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GatewayError';
    this.status = init.status;
    this.type = init.type;
    this.code = init.code;
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
  }

  toBody(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, code: this.code, param: this.param } };
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

export const invalidRequest = (message: string, param: string | null = null, code = 'invalid_request') =>
  new GatewayError({ status: 400, type: 'invalid_request_error', code, message, param });

export const notFound = (message: string, code = 'not_found', param: string | null = null) =>
  new GatewayError({ status: 404, type: 'invalid_request_error', code, message, param });

export const unauthorized = (message: string) =>
  new GatewayError({ status: 401, type: 'authentication_error', code: 'invalid_api_key', message });

export const forbidden = (message: string, code = 'forbidden') =>
  new GatewayError({ status: 403, type: 'permission_error', code, message });

/**
 * Why an upstream call failed. Fallback policies match on this, so it is a closed set rather than
 * free text; `status` is kept when the upstream answered at all.
 */
export type UpstreamFailureKind =
  | 'connection' // refused, reset, DNS: nothing was sent or nothing came back
  | 'timeout' // total deadline
  | 'first_token_timeout' // no first content token within its budget
  | 'stall' // a started stream went quiet longer than the idle budget
  | 'http_4xx'
  | 'http_5xx'
  | 'rate_limited' // 429
  | 'context_length'
  | 'content_filter'
  | 'protocol'; // the upstream answered with something that is not its protocol

export interface UpstreamErrorInit {
  kind: UpstreamFailureKind;
  message: string;
  deployment: string;
  status?: number;
  retryAfterMs?: number;
  upstreamBody?: unknown;
  cause?: unknown;
}

/** An upstream call failed. The server maps it to a client status: 4xx pass through, 5xx → 502, time → 504. */
export class UpstreamError extends GatewayError {
  readonly kind: UpstreamFailureKind;
  readonly deployment: string;
  readonly upstreamStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly upstreamBody: unknown;

  constructor(init: UpstreamErrorInit) {
    const status = clientStatusFor(init.kind, init.status);
    super({
      status,
      type: status === 429 ? 'rate_limit_error' : status < 500 ? 'invalid_request_error' : 'upstream_error',
      code: upstreamCode(init.kind),
      message: init.message,
      cause: init.cause,
      headers:
        init.retryAfterMs !== undefined ? { 'retry-after': String(Math.ceil(init.retryAfterMs / 1000)) } : {},
    });
    this.name = 'UpstreamError';
    this.kind = init.kind;
    this.deployment = init.deployment;
    this.upstreamStatus = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.upstreamBody = init.upstreamBody;
  }
}

function clientStatusFor(kind: UpstreamFailureKind, status: number | undefined): number {
  switch (kind) {
    case 'timeout':
    case 'first_token_timeout':
    case 'stall':
      return 504;
    case 'rate_limited':
      return 429;
    case 'http_4xx':
    case 'context_length':
    case 'content_filter':
      return status !== undefined && status >= 400 && status < 500 ? status : 400;
    default:
      return 502;
  }
}

function upstreamCode(kind: UpstreamFailureKind): string {
  switch (kind) {
    case 'connection':
      return 'upstream_unreachable';
    case 'timeout':
      return 'upstream_timeout';
    case 'first_token_timeout':
      return 'upstream_first_token_timeout';
    case 'stall':
      return 'upstream_stalled';
    case 'http_4xx':
      return 'upstream_bad_request';
    case 'http_5xx':
      return 'upstream_error';
    case 'rate_limited':
      return 'upstream_rate_limited';
    case 'context_length':
      return 'context_length_exceeded';
    case 'content_filter':
      return 'content_filter';
    case 'protocol':
      return 'upstream_protocol_error';
  }
}
