import { UpstreamError, type UpstreamFailureKind } from '../spec/gateway-error.js';

/** What a provider read out of an upstream error body, in its own dialect. */
export interface UpstreamErrorDetails {
  message: string;
  /** Set when the provider recognised a failure more specific than its HTTP status. */
  kind?: Extract<UpstreamFailureKind, 'context_length' | 'content_filter' | 'rate_limited'>;
}

/**
 * Turns an upstream HTTP error status into an UpstreamError. 429 is always `rate_limited` (with the
 * wait the upstream asked for); a provider's `kind` refines other 4xx; 5xx and the vendor-specific
 * 529 are `http_5xx`; anything else that is not 2xx is not the protocol we speak.
 */
export function httpFailure(
  deployment: string,
  status: number,
  headers: Record<string, string>,
  details: UpstreamErrorDetails,
  upstreamBody: unknown,
): UpstreamError {
  const retryAfterMs = parseRetryAfterMs(headers);
  let kind: UpstreamFailureKind;
  if (status === 429 || (details.kind === 'rate_limited' && status >= 400)) kind = 'rate_limited';
  else if (status >= 500) kind = 'http_5xx';
  else if (status >= 400) kind = details.kind ?? 'http_4xx';
  else kind = 'protocol';
  return new UpstreamError({
    kind,
    message: details.message,
    deployment,
    status,
    retryAfterMs,
    upstreamBody,
  });
}

/**
 * Reads how long the upstream asked us to wait. OpenAI sends `retry-after-ms` next to the standard
 * `retry-after`, which may be delta-seconds (fractional in practice) or an HTTP date (RFC 9110 §10.2.3).
 */
export function parseRetryAfterMs(headers: Record<string, string>, nowMs = Date.now()): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined) {
    const n = Number(ms);
    if (ms.trim() !== '' && Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  const value = headers['retry-after'];
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Maps a transport failure (thrown by undici or by the abort signal) to an UpstreamError. When the
 * caller aborted with an UpstreamError as the reason (a watchdog naming `first_token_timeout` or
 * `stall`), that reason is the failure and is thrown as it is.
 */
export function transportFailure(deployment: string, err: unknown, signal: AbortSignal): UpstreamError {
  if (err instanceof UpstreamError) return err;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof UpstreamError) return reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return new UpstreamError({
      kind: timedOut ? 'timeout' : 'connection',
      message: timedOut ? 'upstream call exceeded its deadline' : 'upstream call aborted',
      deployment,
      cause: reason,
    });
  }
  const code = errorCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new UpstreamError({
      kind: 'connection',
      message: 'could not connect to the upstream within timeouts.connectMs',
      deployment,
      cause: err,
    });
  if (code === 'UND_ERR_HEADERS_TIMEOUT')
    return new UpstreamError({
      kind: 'timeout',
      message: 'upstream sent no response within timeouts.totalMs',
      deployment,
      cause: err,
    });
  if (code === 'UND_ERR_BODY_TIMEOUT')
    return new UpstreamError({
      kind: 'stall',
      message: 'upstream response body stalled',
      deployment,
      cause: err,
    });
  if (code !== undefined && !CONNECTION_CODES.has(code) && code.startsWith('UND_ERR_RES'))
    return new UpstreamError({
      kind: 'protocol',
      message: `upstream response: ${detail}`,
      deployment,
      cause: err,
    });
  return new UpstreamError({
    kind: 'connection',
    message: `cannot reach upstream: ${detail}`,
    deployment,
    cause: err,
  });
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (err as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCode(cause);
}

/** A failure in what the upstream said, after it said 200. */
export function protocolFailure(deployment: string, message: string, upstreamBody?: unknown): UpstreamError {
  return new UpstreamError({ kind: 'protocol', message, deployment, upstreamBody });
}
